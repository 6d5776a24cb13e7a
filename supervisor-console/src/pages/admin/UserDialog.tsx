import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminUser, CreateUserBody, Partner, Site, UpdateUserBody } from '@passerelle/shared/api/admin';
import { roles, type Role } from '@passerelle/shared/roles';
import { Dialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { LANGUAGES } from '@kit/i18n.ts';
import { useSession } from '@kit/session.tsx';
import { adminApi } from '../../api/admin.ts';

interface Props {
  /** null: create a new user. */
  user: AdminUser | null;
  sites: Site[];
  partners: Partner[];
  onClose: () => void;
  onSaved: () => void;
}

const splitList = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

/** Create or edit an account. Trainees get a pseudonym and a site; partner users a partner. */
export function UserDialog({ user, sites, partners, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { api } = useSession();
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'trainee');
  const [chosenSite, setSiteId] = useState(user?.siteId ?? '');
  const [chosenPartner, setPartnerId] = useState(user?.partnerId ?? '');
  // The lists may arrive after the dialog opened: default to their first entry, as the selects show.
  const siteId = chosenSite || (role === 'trainee' ? (sites[0]?.id ?? '') : '');
  const partnerId = chosenPartner || partners[0]?.id || '';
  const [locale, setLocale] = useState<(typeof LANGUAGES)[number]>(user?.locale === 'en' ? 'en' : 'fr');
  const [skills, setSkills] = useState((user?.languageSkills ?? ['fr']).join(', '));
  const [active, setActive] = useState(user?.active ?? true);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const attachment = {
      siteId: role === 'trainee' || role === 'trainer' ? siteId || null : null,
      partnerId: role === 'partner' ? partnerId || null : null,
    };
    try {
      if (user) {
        const body: UpdateUserBody = { displayName, role, active, locale, languageSkills: splitList(skills), ...attachment };
        if (password) body.password = password;
        await adminApi(api).updateUser(user.id, body);
      } else {
        const body: CreateUserBody = { username, displayName, role, password, locale, languageSkills: splitList(skills), ...attachment };
        await adminApi(api).createUser(body);
      }
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={user ? t('users.editTitle', { name: user.username }) : t('users.newTitle')} onClose={onClose} wide>
      <form onSubmit={submit}>
        <ErrorAlert error={error} />
        <div className="form-grid">
          <div className="field">
            <label htmlFor="u-username">{t('users.col.username')}</label>
            <input id="u-username" value={username} onChange={(e) => setUsername(e.target.value)} disabled={!!user} required autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="u-role">{t('users.col.role')}</label>
            <select id="u-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="u-display">{role === 'trainee' ? t('users.pseudonym') : t('users.col.displayName')}</label>
            <input id="u-display" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required autoComplete="off" aria-describedby={role === 'trainee' ? 'u-display-hint' : undefined} />
            {role === 'trainee' && (
              <span id="u-display-hint" className="field-hint">
                {t('users.pseudonymHint')}
              </span>
            )}
          </div>
          {(role === 'trainee' || role === 'trainer') && (
            <div className="field">
              <label htmlFor="u-site">{t('users.site')}</label>
              <select id="u-site" value={siteId} onChange={(e) => setSiteId(e.target.value)} required={role === 'trainee'}>
                {role === 'trainer' && <option value="">{t('common.none')}</option>}
                {sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {role === 'partner' && (
            <div className="field">
              <label htmlFor="u-partner">{t('users.partner')}</label>
              <select id="u-partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)} required>
                {partners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="u-locale">{t('users.locale')}</label>
            <select id="u-locale" value={locale} onChange={(e) => setLocale(e.target.value as (typeof LANGUAGES)[number])}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`common.languages.${l}`)}
                </option>
              ))}
            </select>
          </div>
          {role === 'trainee' && (
            <div className="field">
              <label htmlFor="u-skills">{t('users.col.languages')}</label>
              <input id="u-skills" value={skills} onChange={(e) => setSkills(e.target.value)} aria-describedby="u-skills-hint" />
              <span id="u-skills-hint" className="field-hint">
                {t('users.languagesHint')}
              </span>
            </div>
          )}
          <div className="field">
            <label htmlFor="u-password">{user ? t('users.newPassword') : t('users.password')}</label>
            <input
              id="u-password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required={!user}
              autoComplete="new-password"
              aria-describedby={user ? 'u-password-hint' : undefined}
            />
            {user && (
              <span id="u-password-hint" className="field-hint">
                {t('users.newPasswordHint')}
              </span>
            )}
          </div>
          {user && (
            <div className="field">
              <span className="field-label">{t('users.state')}</span>
              <label className="checkbox">
                <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> {t('users.activeAccount')}
              </label>
            </div>
          )}
        </div>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {user ? t('common.save') : t('common.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
