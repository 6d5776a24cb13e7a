import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { AgentView, LiveAttempt } from '@passerelle/shared/events';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Realtime } from '../../plugins/realtime.ts';
import type { AuditService } from '../audit/service.ts';
import type { Vault } from '../vault/vault.ts';
import type { AttemptRow } from './attempts.ts';

/** What the dialer, the token resolver and call progress need (an app instance satisfies it). */
export interface DialerDeps {
  db: Db;
  vault: Vault;
  audit: AuditService;
  config: Config;
  log: FastifyBaseLogger;
  realtime: Realtime;
  /** Without Redis, follow-up assignment waits for the next dialer tick. */
  redis?: Redis;
}

export const liveAttempt = (a: Pick<AttemptRow, 'id' | 'campaignId' | 'agentUserId' | 'status' | 'offeredAt' | 'answeredAt'>): LiveAttempt => ({
  attemptId: a.id,
  campaignId: a.campaignId,
  agentUserId: a.agentUserId,
  status: a.status === 'closed' ? 'wrap_up' : a.status,
  offeredAt: a.offeredAt.toISOString(),
  answeredAt: a.answeredAt?.toISOString() ?? null,
});

/** Shift of the instant calling rules are judged at (0 except in tests; refused in production). */
export const rulesOffsetMs = (config: Pick<Config, 'DIALER_RULES_CLOCK_OFFSET_MIN'>) => config.DIALER_RULES_CLOCK_OFFSET_MIN * 60_000;

/** Pushes an agent's new state to the agent and to every supervisor. */
export function emitAgentState(realtime: Realtime, view: AgentView): void {
  realtime.toAgent(view.userId, 'state', view);
  realtime.toSupervisors('agent:state', view);
}

/** Effects to run only once the transaction committed (a rolled-back change is never announced). */
export class AfterCommit {
  private readonly effects: (() => void | Promise<void>)[] = [];
  add(fn: () => void | Promise<void>) {
    this.effects.push(fn);
  }
  async run() {
    for (const fn of this.effects) await fn();
  }
}
