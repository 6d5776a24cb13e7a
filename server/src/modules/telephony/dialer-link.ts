import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import { resolveCallToken } from '../dialer/call-tokens.ts';
import type { DialerDeps } from '../dialer/deps.ts';
import { callProgress } from '../calls/progress.ts';
import type { CallControl } from './service.ts';

/**
 * Telephony's view of the dialer: the two contract functions (BRIEF.md). The app itself is the
 * dependency bag, read at call time (realtime is decorated after this plugin registers).
 * Resolution runs on its own connections (`resolverDb`): a SIP INVITE waits for it, and it must not
 * queue behind the call events and recordings that share the app's pool.
 */
export function dialerLink(app: FastifyInstance, resolverDb: Db): CallControl {
  const resolverDeps: DialerDeps = {
    db: resolverDb,
    vault: app.vault,
    audit: app.audit,
    config: app.config,
    log: app.log,
    redis: app.redis,
    get realtime() {
      return app.realtime;
    },
  };
  return {
    resolve: async (args, onDial) => {
      const r = await resolveCallToken(resolverDeps, args, { onDial, campaigns: app.dialer.campaigns });
      // Without a campaign caller ID the call goes out anonymous.
      return r.ok ? { ...r, callerId: r.callerId ?? 'anonymous' } : r;
    },
    report: (ev) => callProgress(app, app.dialer.campaigns).report(ev),
  };
}
