import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { createI18n, type Language } from './i18n.ts';
import { SessionProvider } from './session.tsx';

interface Options {
  language?: Language;
  messages?: { fr: object; en: object };
  route?: string;
  withSession?: boolean;
}

/** Renders a component inside the providers the consoles use (i18n, router, session). */
export function renderWithProviders(ui: ReactElement, { language = 'fr', messages = { fr: {}, en: {} }, route = '/', withSession = false }: Options = {}) {
  const i18n = createI18n(messages, language);
  const tree = (
    <I18nextProvider i18n={i18n}>
      <MemoryRouter initialEntries={[route]}>{withSession ? <SessionProvider>{ui}</SessionProvider> : ui}</MemoryRouter>
    </I18nextProvider>
  );
  return { i18n, ...render(tree) };
}

/** A scripted stand-in for the server's HTTP answers: each call records the request, returns the next reply. */
export function scriptedFetch(routes: Record<string, (body: unknown) => { status: number; body?: unknown }>) {
  const calls: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
  const impl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, headers: (init.headers ?? {}) as Record<string, string>, body });
    const handler = routes[`${method} ${url}`];
    if (!handler) throw new TypeError(`no scripted reply for ${method} ${url}`);
    const reply = handler(body);
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { calls, impl };
}
