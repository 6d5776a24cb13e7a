import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListTraineesReply, Team } from '@passerelle/shared/api/admin';
import { ConfirmDialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../../api/admin.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { namedOptions, SelectField } from '../../components/SelectField.tsx';

type Editing = { kind: 'name'; team: Team | null } | { kind: 'members'; team: Team } | { kind: 'delete'; team: Team };

/** Groupes de formation of a site: create, rename, delete, and choose their trainees (all audited). */
export function TeamsPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  const sites = useApiQuery('sites', (a) => adminApi(a).listSites());
  const [siteChoice, setSiteChoice] = useState('');
  const siteId = siteChoice || sites.data?.items[0]?.id || '';
  const teams = useApiQuery(`teams:${siteId}`, (a) => (siteId ? adminApi(a).listTeams(siteId) : Promise.resolve({ items: [] })));
  const trainees = useApiQuery(`trainees:${siteId}`, (a) => (siteId ? a.get<ListTraineesReply>('/api/trainees', { siteId }) : Promise.resolve({ items: [] })));
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const nameOf = new Map((trainees.data?.items ?? []).map((u) => [u.id, u.displayName]));
  const done = () => {
    setEditing(null);
    teams.reload();
  };

  return (
    <div className="page">
      <PageHeader
        title={t('teams.title')}
        description={t('teams.description')}
        actions={
          <button type="button" className="btn btn-primary" disabled={!siteId} onClick={() => setEditing({ kind: 'name', team: null })}>
            {t('teams.new')}
          </button>
        }
      />
      <ErrorAlert error={error ?? sites.error ?? teams.error} onRetry={teams.reload} />
      {(sites.data?.items.length ?? 0) > 1 && (
        <div className="toolbar filters">
          <SelectField id="team-site" label={t('teams.site')} value={siteId} onChange={setSiteChoice} options={namedOptions(sites.data?.items)} />
        </div>
      )}
      <section className="card">
        <DataTable
          caption={t('teams.title')}
          columns={[t('teams.col.name'), t('teams.col.trainees')]}
          actions
          items={teams.data?.items}
          loading={teams.loading}
          empty={t('teams.empty')}
          row={(g) => (
            <tr key={g.id}>
              <td>{g.name}</td>
              <td>{g.traineeIds.length ? g.traineeIds.map((id) => nameOf.get(id) ?? '—').join(', ') : <span className="muted">{t('teams.none')}</span>}</td>
              <td className="actions">
                <div className="btn-row btn-row-end">
                  <button type="button" className="btn btn-sm" onClick={() => setEditing({ kind: 'members', team: g })} aria-label={t('teams.membersNamed', { name: g.name })}>
                    {t('teams.members')}
                  </button>
                  <button type="button" className="btn btn-sm" onClick={() => setEditing({ kind: 'name', team: g })} aria-label={t('teams.renameNamed', { name: g.name })}>
                    {t('teams.rename')}
                  </button>
                  <button type="button" className="btn btn-sm btn-danger" onClick={() => setEditing({ kind: 'delete', team: g })} aria-label={t('teams.deleteNamed', { name: g.name })}>
                    {t('common.delete')}
                  </button>
                </div>
              </td>
            </tr>
          )}
        />
      </section>
      {editing?.kind === 'name' && <NameDialog siteId={siteId} team={editing.team} onClose={() => setEditing(null)} onSaved={done} />}
      {editing?.kind === 'members' && (
        <MembersDialog team={editing.team} trainees={trainees.data?.items ?? []} onClose={() => setEditing(null)} onSaved={done} />
      )}
      {editing?.kind === 'delete' && (
        <ConfirmDialog
          title={t('teams.deleteTitle', { name: editing.team.name })}
          message={<p>{t('teams.deleteBody')}</p>}
          confirmLabel={t('common.delete')}
          onConfirm={() => {
            setError(null);
            adminApi(api).deleteTeam(editing.team.id).then(done, setError);
          }}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

function NameDialog({ siteId, team, onClose, onSaved }: { siteId: string; team: Team | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [name, setName] = useState(team?.name ?? '');
  async function submit() {
    if (team) await adminApi(api).renameTeam(team.id, name);
    else await adminApi(api).createTeam({ siteId, name });
    onSaved();
  }
  return (
    <FormDialog
      title={team ? t('teams.renameTitle', { name: team.name }) : t('teams.newTitle')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={team ? t('common.save') : t('common.create')}
    >
      <div className="field">
        <label htmlFor="team-name">{t('teams.col.name')}</label>
        <input id="team-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} required />
      </div>
    </FormDialog>
  );
}

function MembersDialog({ team, trainees, onClose, onSaved }: { team: Team; trainees: { id: string; displayName: string }[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [chosen, setChosen] = useState(() => new Set(team.traineeIds));
  async function submit() {
    await adminApi(api).setTeamTrainees(team.id, [...chosen]);
    onSaved();
  }
  const toggle = (id: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <FormDialog title={t('teams.membersTitle', { name: team.name })} onClose={onClose} onSubmit={submit} submitLabel={t('common.save')} className="stack">
      <p className="field-hint">{t('teams.membersHint')}</p>
      <fieldset className="stack">
        <legend className="visually-hidden">{t('teams.col.trainees')}</legend>
        {trainees.map((u) => (
          <label key={u.id} className="checkbox">
            <input type="checkbox" checked={chosen.has(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} /> {u.displayName}
          </label>
        ))}
      </fieldset>
    </FormDialog>
  );
}
