import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Partner } from '@passerelle/shared/api/admin';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../../api/admin.ts';
import { DataTable, EditButton } from '../../components/DataTable.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
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
        <DataTable
          columns={[t('partners.col.name'), t('partners.col.state'), t('partners.col.createdAt')]}
          actions
          items={partners.data?.items}
          loading={partners.loading}
          empty={t('partners.empty')}
          row={(p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.active ? <span className="badge badge-success">{t('partners.active')}</span> : <span className="badge">{t('partners.inactive')}</span>}</td>
              <td>{fmt.dateTime(p.createdAt)}</td>
              <td className="actions">
                <EditButton label={t('partners.editNamed', { name: p.name })} onClick={() => setEditing(p)} />
              </td>
            </tr>
          )}
        />
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

  async function submit() {
    if (partner) await adminApi(api).updatePartner(partner.id, { name, active });
    else await adminApi(api).createPartner({ name });
    onSaved();
  }

  return (
    <FormDialog
      title={partner ? t('partners.editTitle', { name: partner.name }) : t('partners.newTitle')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={partner ? t('common.save') : t('common.create')}
    >
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
    </FormDialog>
  );
}
