import type { FastifyInstance } from 'fastify';
import { resolveCallToken } from '../dialer/call-tokens.ts';
import { callProgress } from '../calls/progress.ts';
import type { CallControl } from './service.ts';

/**
 * Telephony's view of the dialer: the two contract functions (BRIEF.md). The app itself is the
 * dependency bag, read at call time (realtime is decorated after this plugin registers).
 */
export function dialerLink(app: FastifyInstance): CallControl {
  return {
    resolve: async (args, onDial) => {
      const r = await resolveCallToken(app, args, { onDial, campaigns: app.dialer.campaigns });
      // Without a campaign caller ID the call goes out anonymous.
      return r.ok ? { ...r, callerId: r.callerId ?? 'anonymous' } : r;
    },
    report: (ev) => callProgress(app, app.dialer.campaigns).report(ev),
  };
}
