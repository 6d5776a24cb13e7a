import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from './i18n.ts';

/** `dark` for the dark top bars. */
export function LanguageSwitcher({ dark = false }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className={dark ? 'lang-switch lang-switch-dark' : 'lang-switch'}>
      <label htmlFor={id}>{t('common.language')}</label>
      <select id={id} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {t(`common.languages.${lng}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
