import './zod-config.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { createI18n } from '@kit/i18n.ts';
import { SessionProvider } from '@kit/session.tsx';
import { App } from './App.tsx';
import { supervisorEn } from './locales/en.ts';
import { supervisorFr } from './locales/fr.ts';
import '@kit/base.css';
import './styles/supervisor.css';
import './styles/ops.css';

const i18n = createI18n({ fr: supervisorFr, en: supervisorEn });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <BrowserRouter basename="/supervisor">
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </I18nextProvider>
  </StrictMode>,
);
