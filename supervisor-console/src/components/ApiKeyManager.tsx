import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiKeySummary, CreateApiKeyReply } from '@passerelle/shared/api/admin';
import { ConfirmDialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../api/admin.ts';
import { DataTable } from './DataTable.tsx';

/** A partner's API keys: list, create (the key is shown once), revoke. Used by admins and partners. */
export function ApiKeyManager({ partnerId }: { partnerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const keys = useApiQuery(`keys:${partnerId}`, (a) => adminApi(a).listApiKeys(partnerId));
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreateApiKeyReply | null>(null);
  const [revoking, setRevoking] = useState<ApiKeySummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setCopied(false);
    try {
      setCreated(await adminApi(api).createApiKey(partnerId, { name }));
      setName('');
      keys.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function revoke(key: ApiKeySummary) {
    setError(null);
    try {
      await adminApi(api).revokeApiKey(partnerId, key.id);
      if (created?.apiKey.id === key.id) setCreated(null);
      keys.reload();
    } catch (err) {
      setError(err);
    } finally {
      setRevoking(null);
    }
  }

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <div className="stack">
      <ErrorAlert error={error ?? keys.error} onRetry={keys.reload} />
      {created && (
        <div className="alert alert-success" role="status" data-testid="new-api-key">
          <strong className="alert-title">{t('apiKeys.createdTitle', { name: created.apiKey.name })}</strong>
          <span>{t('apiKeys.createdOnce')}</span>
          <span className="secret-row">
            <code className="secret">{created.key}</code>
            <button type="button" className="btn btn-sm" onClick={() => void copy(created.key)}>
              {copied ? t('apiKeys.copied') : t('apiKeys.copy')}
            </button>
          </span>
          <span className="alert-hint">{t('apiKeys.usage')}</span>
        </div>
      )}
      <form className="toolbar" onSubmit={create}>
        <div className="field grow">
          <label htmlFor="key-name">{t('apiKeys.name')}</label>
          <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required placeholder={t('apiKeys.namePlaceholder')} />
        </div>
        <button type="submit" className="btn btn-primary">
          {t('apiKeys.create')}
        </button>
      </form>
      <section className="card">
        <DataTable
          columns={[t('apiKeys.col.name'), t('apiKeys.col.prefix'), t('apiKeys.col.createdAt'), t('apiKeys.col.lastUsedAt'), t('apiKeys.col.state')]}
          actions
          items={keys.data?.items}
          loading={keys.loading}
          empty={t('apiKeys.empty')}
          row={(k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td className="mono">{k.prefix}…</td>
              <td>{fmt.dateTime(k.createdAt)}</td>
              <td>{k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : t('apiKeys.neverUsed')}</td>
              <td>
                {k.revokedAt ? (
                  <span className="badge">{t('apiKeys.revokedOn', { date: fmt.dateTime(k.revokedAt) })}</span>
                ) : (
                  <span className="badge badge-success">{t('apiKeys.active')}</span>
                )}
              </td>
              <td className="actions">
                {!k.revokedAt && (
                  <button type="button" className="btn btn-sm btn-danger" onClick={() => setRevoking(k)} aria-label={t('apiKeys.revokeNamed', { name: k.name })}>
                    {t('apiKeys.revoke')}
                  </button>
                )}
              </td>
            </tr>
          )}
        />
      </section>
      {revoking && (
        <ConfirmDialog
          title={t('apiKeys.revokeTitle')}
          message={<p>{t('apiKeys.revokeBody', { name: revoking.name })}</p>}
          confirmLabel={t('apiKeys.revoke')}
          onConfirm={() => void revoke(revoking)}
          onClose={() => setRevoking(null)}
        />
      )}
    </div>
  );
}
