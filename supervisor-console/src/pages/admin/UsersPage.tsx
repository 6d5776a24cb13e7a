import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminUser, Partner, Site } from '@passerelle/shared/api/admin';
import { roles, type Role } from '@passerelle/shared/roles';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { useDebounced } from '@kit/useDebounced.ts';
import { adminApi } from '../../api/admin.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
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
        <div className="field">
          <label htmlFor="users-role">{t('users.role')}</label>
          <select id="users-role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">{t('users.allRoles')}</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="users-active">{t('users.state')}</label>
          <select id="users-active" value={active} onChange={(e) => setActive(e.target.value as '' | 'true' | 'false')}>
            <option value="">{t('users.allStates')}</option>
            <option value="true">{t('users.active')}</option>
            <option value="false">{t('users.inactive')}</option>
          </select>
        </div>
      </form>
      <ErrorAlert error={users.error} onRetry={users.reload} />
      <section className="card">
        <div className="table-wrap">
          <table className="table" aria-busy={users.loading}>
            <caption className="visually-hidden">{t('users.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.col.username')}</th>
                <th scope="col">{t('users.col.displayName')}</th>
                <th scope="col">{t('users.col.role')}</th>
                <th scope="col">{t('users.col.attachment')}</th>
                <th scope="col">{t('users.col.languages')}</th>
                <th scope="col">{t('users.col.state')}</th>
                <th scope="col">{t('users.col.createdAt')}</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">{t('users.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data?.items.map((u) => (
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
                    <button type="button" className="btn btn-sm" onClick={() => setEditing(u)} aria-label={t('users.editNamed', { name: u.username })}>
                      {t('common.edit')}
                    </button>
                  </td>
                </tr>
              ))}
              {users.data?.items.length === 0 && (
                <tr>
                  <td colSpan={8} className="empty-state">
                    {t('users.empty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
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
