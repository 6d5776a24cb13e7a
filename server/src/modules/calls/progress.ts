import type { CallEvent, CallProgressPayload } from '@passerelle/shared/events';
import { prepared, runPrepared } from '../../db/prepared.ts';
import { retryOnDeadlock } from '../../db/retry.ts';
import { sql, type Updateable } from 'kysely';
import { AgentStates, agentColumns, agentFrom, planState, toView, type AgentColumns, type AgentRecord } from '../agents/states.ts';
import type { Db } from '../../db/database.ts';
import { loadCampaign, settleAttempt, technicalOutcome, type AttemptRow, type Trx } from '../dialer/attempts.ts';
import type { CampaignCache } from '../dialer/campaign-cache.ts';
import type { CallAttemptsTable } from '../dialer/tables.ts';
import { AfterCommit, emitAgentState, liveAttempt, rulesOffsetMs, type DialerDeps } from '../dialer/deps.ts';

export interface CallProgressReport {
  attemptId: string;
  event: CallEvent;
  at: Date;
  sipCode?: number;
  cause?: string;
  hungUpBy?: 'agent' | 'customer' | 'supervisor' | 'system';
}

const seconds = (from: Date | null, to: Date | null) => (from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : 0);

type ReadAttempt = AttemptRow & { campaignVersion?: string };
type Outcome = 'done' | 'stale';

/**
 * The one entry point for call progress (contract in BRIEF.md): the telephony module reports
 * ringing / answered / ended; this updates the attempt (ring and talk durations, SIP code, cause),
 * drives the trainee's state machine and pushes the change to the trainee and supervisors.
 * Late or repeated events for a closed attempt are ignored (events may arrive twice).
 *
 * The usual event (the trainee on this call) takes two statements and no transaction: an unlocked
 * read, then the attempt's update and the trainee's new state in one statement guarded by both
 * rows being as read (locked in the order attempt, trainee). Anything else, or a row that moved
 * in between, takes the locked transaction, which decides as before.
 */
export function callProgress(deps: DialerDeps, campaigns?: CampaignCache) {
  const agents = new AgentStates(deps.db);

  /** What an event does to an attempt and its trainee, read as they were; 'stale' if a guarded write found them moved. */
  async function apply(exec: Trx | Db, ev: CallProgressReport, a: ReadAttempt, agent: AgentRecord, after: AfterCommit, guarded: boolean): Promise<Outcome> {
    if (a.status === 'closed' || a.status === 'offered' || a.status === 'wrap_up') return 'done';
    const agentOnCall = agent.attemptId === a.id && ['dialing', 'ringing', 'in_call'].includes(agent.status);
    if (guarded && !agentOnCall) return 'stale';
    // The attempt's update and the trainee's new state in one statement; guarded, only if both are
    // as read (a_cur and p_cur lock them; unreferenced on the locked path, PostgreSQL skips them).
    const update = async (set: Updateable<CallAttemptsTable>, step: ReturnType<typeof planState> | null) => {
      const query = exec
        .with('a_cur', (db) => db.selectFrom('callAttempts').select('id').where('id', '=', a.id).$if(guarded, (q) => q.where('status', '=', a.status).forUpdate()))
        .with('p_cur', (db) =>
          db
            .selectFrom('agentPresence')
            .select('userId')
            .where('userId', '=', agent.userId)
            .$if(guarded, (q) =>
              q
                .where('status', '=', agent.status)
                .where(sql<boolean>`date_trunc('milliseconds', since) = ${agent.since}`)
                .where(sql<boolean>`attempt_id is not distinct from ${agent.attemptId}::uuid and pending_pause is not distinct from ${agent.pendingPause}`)
                .where(sql<boolean>`exists (select 1 from a_cur)`)
                .forUpdate(),
            ),
        )
        .with('updated', (db) =>
          db
            .updateTable('callAttempts')
            .set(set)
            .where('id', '=', a.id)
            .$if(guarded, (q) => q.where(sql<boolean>`exists (select 1 from p_cur)`))
            .returningAll(),
        )
        .selectFrom('updated')
        .selectAll()
        .$if(step !== null, (q) => q.select(step!.write.as('agentWritten')));
      const row = (await runPrepared(exec, 'progress_write', query)).rows[0];
      return row ? { updated: row, view: step?.next ?? null } : null;
    };
    const payload = (extra: Partial<CallProgressPayload> = {}): CallProgressPayload => ({
      attemptId: a.id,
      event: ev.event,
      at: ev.at.toISOString(),
      cause: ev.cause ?? null,
      hungUpBy: ev.hungUpBy ?? null,
      suggestedOutcome: null,
      wrapUpDeadline: null,
      ...extra,
    });

    if (ev.event === 'ringing' || ev.event === 'answered') {
      if (ev.event === 'ringing' && a.status !== 'dialing') return 'done';
      if (ev.event === 'answered' && a.status === 'in_call') return 'done';
      const written = await update(
        ev.event === 'ringing' ? { status: 'ringing', ringingAt: ev.at } : { status: 'in_call', answeredAt: ev.at, ringingAt: a.ringingAt ?? ev.at },
        agentOnCall ? planState(agent, { type: ev.event }, { cause: `call_${ev.event}` }) : null,
      );
      if (!written) return 'stale';
      after.add(() => {
        deps.realtime.toAgent(a.agentUserId, 'call:progress', payload());
        deps.realtime.toSupervisors('attempt:update', liveAttempt(written.updated));
        if (written.view) emitAgentState(deps.realtime, toView(written.view));
      });
      return 'done';
    }

    // ended
    const answeredAt = a.answeredAt;
    const ringFrom = a.ringingAt ?? a.dialedAt;
    const ended = {
      endedAt: ev.at,
      ringSeconds: seconds(ringFrom, answeredAt ?? ev.at),
      talkSeconds: seconds(answeredAt, ev.at),
      sipCode: ev.sipCode ?? null,
      cause: ev.cause ?? null,
      hungUpBy: ev.hungUpBy ?? null,
    };
    const suggested = answeredAt ? null : technicalOutcome({ answeredAt, sipCode: ended.sipCode, dialedAt: a.dialedAt });
    const campaign = campaigns && a.campaignVersion ? await campaigns.at(exec, a.campaignId, a.campaignVersion) : await loadCampaign(exec, a.campaignId);
    if (!campaign) throw new Error(`campaign of attempt ${a.id} not found`);
    if (!agentOnCall) {
      // The trainee is gone (console lost): nobody will qualify the call, the line decides (locked path only).
      await exec.updateTable('callAttempts').set(ended).where('id', '=', a.id).execute();
      const outcome = technicalOutcome({ answeredAt, sipCode: ended.sipCode, dialedAt: a.dialedAt });
      await settleAttempt(exec as Trx, { ...a, ...ended }, campaign, outcome, { rulesOffsetMs: rulesOffsetMs(deps.config) });
      after.add(() => deps.realtime.toSupervisors('attempt:closed', { attemptId: a.id, campaignId: a.campaignId, outcome }));
      return 'done';
    }
    const deadline = new Date(ev.at.getTime() + campaign.settings.wrapUpSeconds * 1000);
    const written = await update({ ...ended, status: 'wrap_up', wrapUpDeadline: deadline }, planState(agent, { type: 'call_ended' }, { cause: 'call_ended' }));
    if (!written) return 'stale';
    after.add(() => {
      deps.realtime.toAgent(a.agentUserId, 'call:progress', payload({ suggestedOutcome: suggested, wrapUpDeadline: deadline.toISOString() }));
      deps.realtime.toSupervisors('attempt:update', liveAttempt(written.updated));
      if (written.view) emitAgentState(deps.realtime, toView(written.view));
    });
    return 'done';
  }

  // An ended call needs its campaign: its version, for the dialer's cached copy (CampaignCache.at).
  const versionOf = (ev: CallProgressReport) => (ev.event === 'ended' ? sql`, (select xmin::text from campaigns k where k.id = a.campaign_id) as campaign_version` : sql``);

  return {
    async report(ev: CallProgressReport): Promise<void> {
      const after = await retryOnDeadlock(() => reportOnce(ev));
      await after.run();
    },
  };

  /** One try at applying a report; the effects to run once it committed. */
  async function reportOnce(ev: CallProgressReport): Promise<AfterCommit> {
    let after = new AfterCommit();
    const read = (
      await sql<ReadAttempt & AgentColumns>`${prepared('progress_read')} select a.* ${versionOf(ev)}, ${agentColumns}
        from call_attempts a join agent_presence p on p.user_id = a.agent_user_id join users u on u.id = p.user_id where a.id = ${ev.attemptId}`.execute(deps.db)
    ).rows[0];
    if (read && (await apply(deps.db, ev, read, agentFrom(read), after, true)) === 'done') return after;
    after = new AfterCommit();
    await deps.db.transaction().execute(async (trx) => {
      const a = (await sql<ReadAttempt>`${prepared('progress_lock')} select a.* ${versionOf(ev)} from call_attempts a where a.id = ${ev.attemptId} for update`.execute(trx)).rows[0];
      if (!a) return;
      await apply(trx, ev, a, await agents.lock(trx, a.agentUserId), after, false);
    });
    return after;
  }
}
