import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminUser, Partner, Site } from '@passerelle/shared/api/admin';
import { roles, type Role } from '@passerelle/shared/roles';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { useDebounced } from '@kit/useDebounced.ts';
import { adminApi } from '../../api/admin.ts';
import { DataTable, EditButton } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { UserDialog } from './UserDialog.tsx';

const ROLE_TONE: Record<Role, string> = { admin: 'badge-danger', trainer: 'badge-info', trainee: 'badge-success', partner: 'badge-violet' };

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<'' | 'true' | 'false'>('');
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const search = useDebounced(q.trim());
  const query = { q: search || undefined, role: role || undefined, active: active || undefined };
  const users = useApiQuery(JSON.stringify(query), (api) => adminApi(api).listUsers(query));
  const sites = useApiQuery('sites', (api) => adminApi(api).listSites());
  const partners = useApiQuery('partners', (api) => adminApi(api).listPartners());
  const siteName = (id: string | null) => sites.data?.items.find((s) => s.id === id)?.name;
  const partnerName = (id: string | null) => partners.data?.items.find((p) => p.id === id)?.name;

  return (
    <div className="page">
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('users.new')}
          </button>
        }
      />
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="users-q">{t('users.search')}</label>
          <input id="users-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('users.searchPlaceholder')} />
        </div>
        <SelectField id="users-role" label={t('users.role')} value={role} onChange={setRole} emptyOption={t('users.allRoles')} options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        <SelectField
          id="users-active"
          label={t('users.state')}
          value={active}
          onChange={setActive}
          emptyOption={t('users.allStates')}
          options={[
            { value: 'true', label: t('users.active') },
            { value: 'false', label: t('users.inactive') },
          ]}
        />
      </form>
      <ErrorAlert error={users.error} onRetry={users.reload} />
      <section className="card">
        <DataTable
          caption={t('users.title')}
          columns={[t('users.col.username'), t('users.col.displayName'), t('users.col.role'), t('users.col.attachment'), t('users.col.languages'), t('users.col.state'), t('users.col.createdAt')]}
          actions
          items={users.data?.items}
          loading={users.loading}
          empty={t('users.empty')}
          row={(u) => (
            <tr key={u.id}>
              <td className="mono">{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <span className={`badge ${ROLE_TONE[u.role]}`}>{t(`roles.${u.role}`)}</span>
              </td>
              <td>{(u.role === 'partner' ? partnerName(u.partnerId) : siteName(u.siteId)) ?? t('common.none')}</td>
              <td>{u.languageSkills.join(', ') || t('common.none')}</td>
              <td>
                <UserState user={u} />
              </td>
              <td>{fmt.dateTime(u.createdAt)}</td>
              <td className="actions">
                <EditButton label={t('users.editNamed', { name: u.username })} onClick={() => setEditing(u)} />
              </td>
            </tr>
          )}
        />
      </section>
      {editing && (
        <UserDialog
          user={editing === 'new' ? null : editing}
          sites={sites.data?.items ?? ([] as Site[])}
          partners={partners.data?.items ?? ([] as Partner[])}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            users.reload();
          }}
        />
      )}
    </div>
  );
}

function UserState({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!user.active) return <span className="badge">{t('users.inactive')}</span>;
  if (user.lockedUntil && new Date(user.lockedUntil) > new Date()) {
    return <span className="badge badge-warning">{t('users.lockedUntil', { time: fmt.time(user.lockedUntil) })}</span>;
  }
  return <span className="badge badge-success">{t('users.active')}</span>;
}
