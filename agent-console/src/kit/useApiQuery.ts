import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from './http.ts';
import { useSession } from './session.tsx';

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data with the session's API client and reloads when `key` changes (e.g. the filters).
 * The result of an outdated request is dropped, so the screen never shows a stale answer.
 */
export function useApiQuery<T>(key: string, load: (api: ApiClient) => Promise<T>): QueryState<T> {
  const { api } = useSession();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load(api).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `key` is what identifies the request.
  }, [api, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
