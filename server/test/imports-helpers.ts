import type { ImportView, ColumnMapping } from '@passerelle/shared/api/imports';
import type { App } from '../src/app.ts';
import { SEAT_IP } from './fixtures.ts';
import { multipartFile } from './vault-fixtures.ts';

/** The import worker as registered by the module, in the test process (RUN_WORKERS is false in tests). */
export function startWorker(app: App): Promise<{ close: () => Promise<void> }> {
  return app.workers.start('imports');
}

export async function upload(app: App, headers: Record<string, string>, campaignId: string, name: string, content: string | Buffer) {
  const body = multipartFile(name, content);
  return app.inject({
    method: 'POST',
    url: `/api/campaigns/${campaignId}/imports`,
    headers: { ...headers, ...body.headers },
    payload: body.payload,
    remoteAddress: SEAT_IP,
  });
}

export async function confirm(
  app: App,
  headers: Record<string, string>,
  importId: string,
  mapping: ColumnMapping,
  acceptValidSubset = false,
) {
  return app.inject({
    method: 'POST',
    url: `/api/imports/${importId}/mapping`,
    headers,
    payload: { mapping, acceptValidSubset },
    remoteAddress: SEAT_IP,
  });
}

const FINAL = new Set(['completed', 'awaiting_confirmation', 'rejected', 'failed', 'cancelled']);

/** Polls GET /api/imports/:id (as a partner page would) until the import settles. */
export async function settle(app: App, headers: Record<string, string>, importId: string, timeoutMs = 60_000): Promise<ImportView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/api/imports/${importId}`, headers, remoteAddress: SEAT_IP });
    const view = res.json() as ImportView;
    if (FINAL.has(view.status)) return view;
    if (Date.now() > until) throw new Error(`import ${importId} still ${view.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
