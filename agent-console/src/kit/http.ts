/**
 * The consoles' HTTP client: same-origin cookies, CSRF header on unsafe methods, and the API's
 * `{ error: { code, message } }` shape turned into an ApiError carrying the French message.
 */

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** The session's CSRF token (from the login or session reply), or null before login. */
  csrfToken: () => string | null;
  /** Called when the server says the session is gone (401), except on the auth calls themselves. */
  onUnauthorized: () => void;
  /** Message used when the server cannot be reached or answers something unreadable. */
  networkErrorMessage: () => string;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function createApiClient(options: ApiClientOptions) {
  async function request<T>(method: string, path: string, body?: unknown, { silent401 = false } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const multipart = body instanceof FormData;
    if (body !== undefined && !multipart) headers['content-type'] = 'application/json';
    const csrf = options.csrfToken();
    if (UNSAFE.has(method) && csrf) headers['x-csrf-token'] = csrf;
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', options.networkErrorMessage());
    }
    if (res.status === 204) return undefined as T;
    const payload: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const err = (payload as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
      if (res.status === 401 && !silent401) options.onUnauthorized();
      throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? options.networkErrorMessage(), err?.details);
    }
    return payload as T;
  }

  return {
    get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
    patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
    put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    delete: <T = void>(path: string) => request<T>('DELETE', path),
    /** Multipart upload (files): the browser sets the boundary; same CSRF and error handling. */
    upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
    /** For the auth calls: a 401 there is an answer, not a lost session. */
    raw: request,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
