import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Partner } from '@passerelle/shared/api/admin';
import { Dialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../../api/admin.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

/** Partner companies. Deactivating one disables its API keys and signs its users out. */
export function PartnersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const partners = useApiQuery('partners', (a) => adminApi(a).listPartners());
  const [editing, setEditing] = useState<Partner | 'new' | null>(null);

  return (
    <div className="page">
      <PageHeader
        title={t('partners.title')}
        description={t('partners.description')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('partners.new')}
          </button>
        }
      />
      <ErrorAlert error={partners.error} onRetry={partners.reload} />
      <section className="card">
        <div className="table-wrap">
          <table className="table" aria-busy={partners.loading}>
            <thead>
              <tr>
                <th scope="col">{t('partners.col.name')}</th>
                <th scope="col">{t('partners.col.state')}</th>
                <th scope="col">{t('partners.col.createdAt')}</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">{t('users.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {partners.data?.items.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.active ? <span className="badge badge-success">{t('partners.active')}</span> : <span className="badge">{t('partners.inactive')}</span>}</td>
                  <td>{fmt.dateTime(p.createdAt)}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-sm" onClick={() => setEditing(p)} aria-label={t('partners.editNamed', { name: p.name })}>
                      {t('common.edit')}
                    </button>
                  </td>
                </tr>
              ))}
              {partners.data?.items.length === 0 && (
                <tr>
                  <td colSpan={4} className="empty-state">
                    {t('partners.empty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      {editing && (
        <PartnerDialog
          partner={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            partners.reload();
          }}
        />
      )}
    </div>
  );
}

function PartnerDialog({ partner, onClose, onSaved }: { partner: Partner | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [name, setName] = useState(partner?.name ?? '');
  const [active, setActive] = useState(partner?.active ?? true);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      if (partner) await adminApi(api).updatePartner(partner.id, { name, active });
      else await adminApi(api).createPartner({ name });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Dialog title={partner ? t('partners.editTitle', { name: partner.name }) : t('partners.newTitle')} onClose={onClose}>
      <form onSubmit={submit}>
        <ErrorAlert error={error} />
        <div className="field">
          <label htmlFor="p-name">{t('partners.col.name')}</label>
          <input id="p-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </div>
        {partner && (
          <>
            <label className="checkbox">
              <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> {t('partners.activeLabel')}
            </label>
            {!active && partner.active && (
              <p className="alert alert-warning small" role="status">
                {t('partners.deactivateWarning')}
              </p>
            )}
          </>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {partner ? t('common.save') : t('common.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
