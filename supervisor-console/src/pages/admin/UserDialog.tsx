import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminUser, CreateUserBody, Partner, Site, UpdateUserBody } from '@passerelle/shared/api/admin';
import { roles, type Role } from '@passerelle/shared/roles';
import { LANGUAGES } from '@kit/i18n.ts';
import { useSession } from '@kit/session.tsx';
import { adminApi } from '../../api/admin.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { namedOptions, SelectField } from '../../components/SelectField.tsx';

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

  async function submit() {
    const attachment = {
      siteId: role === 'trainee' || role === 'trainer' ? siteId || null : null,
      partnerId: role === 'partner' ? partnerId || null : null,
    };
    if (user) {
      const body: UpdateUserBody = { displayName, role, active, locale, languageSkills: splitList(skills), ...attachment };
      if (password) body.password = password;
      await adminApi(api).updateUser(user.id, body);
    } else {
      const body: CreateUserBody = { username, displayName, role, password, locale, languageSkills: splitList(skills), ...attachment };
      await adminApi(api).createUser(body);
    }
    onSaved();
  }

  return (
    <FormDialog
      title={user ? t('users.editTitle', { name: user.username }) : t('users.newTitle')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={user ? t('common.save') : t('common.create')}
      wide
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor="u-username">{t('users.col.username')}</label>
          <input id="u-username" value={username} onChange={(e) => setUsername(e.target.value)} disabled={!!user} required autoComplete="off" />
        </div>
        <SelectField id="u-role" label={t('users.col.role')} value={role} onChange={setRole} options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
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
          <SelectField
            id="u-site"
            label={t('users.site')}
            value={siteId}
            onChange={setSiteId}
            emptyOption={role === 'trainer' ? t('common.none') : undefined}
            options={namedOptions(sites)}
            required={role === 'trainee'}
          />
        )}
        {role === 'partner' && <SelectField id="u-partner" label={t('users.partner')} value={partnerId} onChange={setPartnerId} options={namedOptions(partners)} required />}
        <SelectField id="u-locale" label={t('users.locale')} value={locale} onChange={setLocale} options={LANGUAGES.map((l) => ({ value: l, label: t(`common.languages.${l}`) }))} />
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
    </FormDialog>
  );
}
