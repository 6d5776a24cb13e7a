import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ImportView } from '@passerelle/shared/api/imports';
import type { ImportProgress, PartnerClientToServer, PartnerServerToClient } from '@passerelle/shared/events';
import { namespaces } from '@passerelle/shared/events';
import type { ApiClient } from '@kit/http.ts';
import { opsApi } from '../api/ops.ts';

export const FINAL_STATUSES = ['completed', 'rejected', 'cancelled', 'failed', 'awaiting_confirmation'] as const;
const isFinal = (s: string) => (FINAL_STATUSES as readonly string[]).includes(s);

/**
 * Follows an import: live `import:progress` events on the `/partner` socket when the caller is a
 * partner, and a poll of GET /api/imports/:id (every 1.5 s) that also gives the final report.
 */
export function useImportProgress(api: ApiClient, view: ImportView | null, live: boolean) {
  const [current, setCurrent] = useState<ImportView | null>(view);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  useEffect(() => {
    setCurrent(view);
    setProgress(null);
  }, [view]);

  const id = view?.id;
  const watching = current !== null && !isFinal(current.status) && current.status !== 'uploaded';
  useEffect(() => {
    if (!id || !watching) return;
    let socket: Socket<PartnerServerToClient, PartnerClientToServer> | null = null;
    if (live) {
      socket = io(namespaces.partner, { transports: ['websocket'], withCredentials: true });
      socket.on('import:progress', (p) => {
        if (p.importId === id) setProgress(p);
      });
    }
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        await new Promise((r) => setTimeout(r, 1500));
        if (stopped) break;
        const v = await opsApi(api).getImport(id).catch(() => null);
        if (!v || stopped) continue;
        setCurrent(v);
        if (isFinal(v.status)) break;
      }
    };
    void poll();
    return () => {
      stopped = true;
      socket?.disconnect();
    };
  }, [api, id, live, watching]);

  return { current, progress, setCurrent };
}
