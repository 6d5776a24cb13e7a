import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { commonEn } from './locales/en.ts';
import { commonFr } from './locales/fr.ts';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Only the language choice is stored in the browser — never anything about the user. */
const STORAGE_KEY = 'passerelle.lang';

function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(value ?? '') ? (value as Language) : null;
  } catch {
    return null;
  }
}

function remember(language: string) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Storage may be disabled by policy; the choice then lasts for the page only.
  }
}

/** One i18next instance per console: the common strings plus the app's own (French is the default). */
export function createI18n(app: { fr: object; en: object }, language: Language | null = storedLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: {
      fr: { translation: { ...commonFr, ...app.fr } },
      en: { translation: { ...commonEn, ...app.en } },
    },
    lng: language ?? 'fr',
    fallbackLng: 'fr',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const applyLang = (lng: string) => {
    if (typeof document !== 'undefined') document.documentElement.lang = lng;
  };
  applyLang(instance.language);
  instance.on('languageChanged', (lng) => {
    applyLang(lng);
    remember(lng);
  });
  return instance;
}
