import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { JusticeEntry } from '@passerelle/shared/api/blocklists';
import { ConfirmDialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { parseSiteDateTime, useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { opsApi } from '../../api/ops.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RegionField } from '../../components/SelectField.tsx';

/** Justice blocklist (admins only): add, search by number, remove. Numbers never appear in clear. */
export function BlocklistPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const list = useApiQuery('justice', (a) => opsApi(a).listJustice());
  const [number, setNumber] = useState('');
  const [region, setRegion] = useState('GP');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [found, setFound] = useState<JusticeEntry[] | null>(null);
  const [removing, setRemoving] = useState<JusticeEntry | null>(null);

  async function add(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setMessage(null);
    setFound(null);
    try {
      const expiresAt = expires.trim() ? parseSiteDateTime(expires) : null;
      if (expires.trim() && !expiresAt) throw new Error(t('audit.dateFormat'));
      await opsApi(api).addJustice({ number, region, reason, expiresAt });
      setMessage(t('blocklist.added'));
      setNumber('');
      setReason('');
      setExpires('');
      list.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function search() {
    setError(null);
    setMessage(null);
    try {
      const r = await opsApi(api).searchJustice({ number, region });
      setFound(r.items);
    } catch (err) {
      setError(err);
    }
  }

  async function remove(entry: JusticeEntry) {
    setRemoving(null);
    try {
      await opsApi(api).removeJustice(entry.id);
      setFound((f) => f?.filter((x) => x.id !== entry.id) ?? null);
      list.reload();
    } catch (err) {
      setError(err);
    }
  }

  const rows = found ?? list.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader title={t('blocklist.title')} description={t('blocklist.description')} />
      <ErrorAlert error={error ?? list.error} />
      {message && (
        <p className="alert alert-success" role="status">
          {message}
        </p>
      )}
      <form className="card card-body form-grid" onSubmit={add} autoComplete="off">
        <div className="field">
          <label htmlFor="bl-number">{t('blocklist.number')}</label>
          <input id="bl-number" inputMode="tel" required value={number} onChange={(e) => setNumber(e.target.value)} />
        </div>
        <RegionField id="bl-region" label={t('blocklist.region')} value={region} onChange={setRegion} />
        <div className="field">
          <label htmlFor="bl-reason">{t('blocklist.reason')}</label>
          <input id="bl-reason" value={reason} minLength={3} onChange={(e) => setReason(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="bl-expires">{t('blocklist.expiresAt')}</label>
          <input id="bl-expires" placeholder={t('audit.datePlaceholder')} value={expires} onChange={(e) => setExpires(e.target.value)} />
        </div>
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={reason.trim().length < 3}>
            {t('blocklist.add')}
          </button>
          <button type="button" className="btn" disabled={!number.trim()} onClick={() => void search()}>
            {t('blocklist.search')}
          </button>
        </div>
      </form>
      {found && (
        <p className={`alert ${found.length ? 'alert-warning' : 'alert-info'}`} role="status" data-testid="blocklist-search">
          {found.length ? t('blocklist.found', { count: found.length }) : t('blocklist.notFound')}
        </p>
      )}
      <section className="card">
        {!found && list.data && <p className="card-body small muted">{t('blocklist.total', { n: list.data.total })}</p>}
        <DataTable
          caption={t('blocklist.title')}
          columns={[t('blocklist.col.hmac'), t('blocklist.col.reason'), t('blocklist.col.createdAt'), t('blocklist.col.expiresAt')]}
          actions
          items={rows}
          empty={t('blocklist.empty')}
          row={(r) => (
            <tr key={r.id}>
              <td className="mono">{r.hmacPrefix}…</td>
              <td className="wrap-anywhere">{r.reason}</td>
              <td>{fmt.dateTime(r.createdAt)}</td>
              <td>
                {r.expiresAt ? fmt.dateTime(r.expiresAt) : t('blocklist.never')}
                {r.expired && (
                  <>
                    {' '}
                    <span className="badge badge-warning">{t('blocklist.expired')}</span>
                  </>
                )}
              </td>
              <td className="actions">
                <button type="button" className="btn btn-sm btn-danger" onClick={() => setRemoving(r)}>
                  {t('blocklist.remove')}
                </button>
              </td>
            </tr>
          )}
        />
      </section>
      {removing && (
        <ConfirmDialog
          title={t('blocklist.removeTitle')}
          message={<p>{t('blocklist.removeBody')}</p>}
          confirmLabel={t('blocklist.remove')}
          onConfirm={() => void remove(removing)}
          onClose={() => setRemoving(null)}
        />
      )}
    </div>
  );
}
