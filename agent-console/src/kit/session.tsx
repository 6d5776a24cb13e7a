import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '@passerelle/shared/roles';
import { ApiError, createApiClient, type ApiClient } from './http.ts';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  siteId: string | null;
  partnerId: string | null;
  locale: string;
}

/** The reply of POST /api/auth/login and GET /api/auth/session. */
export interface Session {
  user: SessionUser;
  csrfToken: string;
  idleTimeoutSeconds: number;
}

/** Why the user is on the login page (shown as a notice there). */
export type LoginNotice = 'idle' | 'expired' | 'loggedOut' | null;

interface SessionContextValue {
  status: 'loading' | 'anonymous' | 'authenticated';
  session: Session | null;
  notice: LoginNotice;
  api: ApiClient;
  login: (username: string, password: string) => Promise<Session>;
  logout: (notice?: LoginNotice) => Promise<void>;
  /** Tells the server the user is still there (refreshes the session's idle clock). */
  touch: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Holds the session in memory only (never in browser storage) and the API client bound to it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<SessionContextValue['status']>('loading');
  const [notice, setNotice] = useState<LoginNotice>(null);
  const csrf = useRef<string | null>(null);
  const tRef = useRef(t);
  tRef.current = t;

  const drop = useCallback((why: LoginNotice) => {
    csrf.current = null;
    setSession(null);
    setNotice(why);
    setStatus('anonymous');
  }, []);

  const api = useMemo(
    () =>
      createApiClient({
        csrfToken: () => csrf.current,
        onUnauthorized: () => drop('expired'),
        networkErrorMessage: () => tRef.current('errors.NETWORK_ERROR'),
      }),
    [drop],
  );

  const adopt = useCallback((s: Session) => {
    csrf.current = s.csrfToken;
    setSession(s);
    setNotice(null);
    setStatus('authenticated');
    return s;
  }, []);

  useEffect(() => {
    let cancelled = false;
    api
      .raw<Session>('GET', '/api/auth/session', undefined, { silent401: true })
      .then((s) => !cancelled && adopt(s))
      .catch(() => !cancelled && drop(null));
    return () => {
      cancelled = true;
    };
  }, [api, adopt, drop]);

  const value = useMemo<SessionContextValue>(
    () => ({
      status,
      session,
      notice,
      api,
      login: async (username, password) =>
        adopt(await api.raw<Session>('POST', '/api/auth/login', { username, password }, { silent401: true })),
      logout: async (why = 'loggedOut') => {
        try {
          await api.raw('POST', '/api/auth/logout', {}, { silent401: true });
        } catch (err) {
          // The session may already be gone on the server; the console forgets it either way.
          if (!(err instanceof ApiError)) throw err;
        } finally {
          drop(why);
        }
      },
      touch: async () => {
        const s = await api.get<Session>('/api/auth/session');
        csrf.current = s.csrfToken;
      },
    }),
    [status, session, notice, api, adopt, drop],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in session; only call below a route that requires one. */
export function useCurrentSession(): Session & { api: ApiClient } {
  const { session, api } = useSession();
  if (!session) throw new Error('no session');
  return { ...session, api };
}

/** Turns any thrown error into the text to show: the server's French message, or its translation. */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  return (err: unknown): string => {
    if (!(err instanceof ApiError)) return t('errors.NETWORK_ERROR');
    const key = `errors.${err.code}`;
    return i18n.language !== 'fr' && i18n.exists(key) ? t(key, { ...err.details }) : err.message;
  };
}
