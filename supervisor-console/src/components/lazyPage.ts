import { lazy, type ComponentType } from 'react';

/** A page loaded on first visit (its own chunk); the layout's Suspense shows "Chargement…" meanwhile. */
export function lazyPage<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
