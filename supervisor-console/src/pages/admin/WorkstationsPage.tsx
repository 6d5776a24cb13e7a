import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Site, Workstation } from '@passerelle/shared/api/admin';
import { ConfirmDialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../../api/admin.ts';
import { DataTable, EditButton } from '../../components/DataTable.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { namedOptions, SelectField } from '../../components/SelectField.tsx';

const parseRanges = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

/** Sites and their workstations: trainees may only sign in from a workstation's IP ranges. */
export function WorkstationsPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  const sites = useApiQuery('sites', (a) => adminApi(a).listSites());
  const workstations = useApiQuery('workstations', (a) => adminApi(a).listWorkstations());
  const [editing, setEditing] = useState<Workstation | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Workstation | null>(null);
  const [siteDialog, setSiteDialog] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const siteName = (id: string) => sites.data?.items.find((s) => s.id === id)?.name ?? t('common.none');

  async function remove(ws: Workstation) {
    try {
      await adminApi(api).deleteWorkstation(ws.id);
      setDeleting(null);
      workstations.reload();
    } catch (err) {
      setDeleting(null);
      setError(err);
    }
  }

  return (
    <div className="page">
      <PageHeader
        title={t('workstations.title')}
        description={t('workstations.description')}
        actions={
          <>
            <button type="button" className="btn" onClick={() => setSiteDialog(true)}>
              {t('workstations.newSite')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} disabled={!sites.data?.items.length}>
              {t('workstations.new')}
            </button>
          </>
        }
      />
      <ErrorAlert error={error ?? workstations.error ?? sites.error} onRetry={() => {
          setError(null);
          workstations.reload();
          sites.reload();
        }} />
      <div className="split">
        <section className="card" aria-labelledby="ws-title">
          <div className="card-header">
            <h2 id="ws-title">{t('workstations.listTitle')}</h2>
          </div>
          <DataTable
            columns={[t('workstations.col.name'), t('workstations.col.site'), t('workstations.col.ranges'), t('workstations.col.state')]}
            actions
            items={workstations.data?.items}
            loading={workstations.loading}
            empty={t('workstations.empty')}
            row={(ws) => (
              <tr key={ws.id}>
                <td>{ws.name}</td>
                <td>{siteName(ws.siteId)}</td>
                <td>
                  <span className="chips">
                    {ws.ipRanges.map((r) => (
                      <code key={r} className="chip">
                        {r}
                      </code>
                    ))}
                  </span>
                </td>
                <td>{ws.active ? <span className="badge badge-success">{t('workstations.active')}</span> : <span className="badge">{t('workstations.inactive')}</span>}</td>
                <td className="actions">
                  <span className="btn-row btn-row-end">
                    <EditButton label={t('workstations.editNamed', { name: ws.name })} onClick={() => setEditing(ws)} />
                    <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(ws)} aria-label={t('workstations.deleteNamed', { name: ws.name })}>
                      {t('common.delete')}
                    </button>
                  </span>
                </td>
              </tr>
            )}
          />
        </section>
        <section className="card" aria-labelledby="sites-title">
          <div className="card-header">
            <h2 id="sites-title">{t('workstations.sitesTitle')}</h2>
          </div>
          <DataTable
            columns={[t('workstations.col.siteName'), t('workstations.col.timeZone')]}
            items={sites.data?.items}
            row={(s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td className="mono">{s.timeZone}</td>
              </tr>
            )}
          />
        </section>
      </div>
      {editing && (
        <WorkstationDialog
          workstation={editing === 'new' ? null : editing}
          sites={sites.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            workstations.reload();
          }}
        />
      )}
      {siteDialog && (
        <SiteDialog
          onClose={() => setSiteDialog(false)}
          onSaved={() => {
            setSiteDialog(false);
            sites.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('workstations.deleteTitle')}
          message={<p>{t('workstations.deleteBody', { name: deleting.name })}</p>}
          confirmLabel={t('common.delete')}
          onConfirm={() => void remove(deleting)}
          onClose={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

function WorkstationDialog({ workstation, sites, onClose, onSaved }: { workstation: Workstation | null; sites: Site[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [name, setName] = useState(workstation?.name ?? '');
  const [siteId, setSiteId] = useState(workstation?.siteId ?? sites[0]?.id ?? '');
  const [ranges, setRanges] = useState(workstation?.ipRanges.join('\n') ?? '');
  const [active, setActive] = useState(workstation?.active ?? true);

  async function submit() {
    const ipRanges = parseRanges(ranges);
    if (workstation) await adminApi(api).updateWorkstation(workstation.id, { name, ipRanges, active });
    else await adminApi(api).createWorkstation({ siteId, name, ipRanges });
    onSaved();
  }

  return (
    <FormDialog
      title={workstation ? t('workstations.editTitle', { name: workstation.name }) : t('workstations.newTitle')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={workstation ? t('common.save') : t('common.create')}
    >
      <div className="field">
        <label htmlFor="ws-name">{t('workstations.col.name')}</label>
        <input id="ws-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </div>
      {!workstation && <SelectField id="ws-site" label={t('workstations.col.site')} value={siteId} onChange={setSiteId} options={namedOptions(sites)} required />}
      <div className="field">
        <label htmlFor="ws-ranges">{t('workstations.col.ranges')}</label>
        <textarea id="ws-ranges" value={ranges} onChange={(e) => setRanges(e.target.value)} required aria-describedby="ws-ranges-hint" className="mono" />
        <span id="ws-ranges-hint" className="field-hint">
          {t('workstations.rangesHint')}
        </span>
      </div>
      {workstation && (
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> {t('workstations.activeLabel')}
        </label>
      )}
    </FormDialog>
  );
}

function SiteDialog({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState('America/Guadeloupe');

  async function submit() {
    await adminApi(api).createSite({ name, timeZone });
    onSaved();
  }

  return (
    <FormDialog title={t('workstations.newSite')} onClose={onClose} onSubmit={submit} submitLabel={t('common.create')}>
      <div className="field">
        <label htmlFor="site-name">{t('workstations.col.siteName')}</label>
        <input id="site-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="site-tz">{t('workstations.col.timeZone')}</label>
        <input id="site-tz" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required className="mono" />
      </div>
    </FormDialog>
  );
}
