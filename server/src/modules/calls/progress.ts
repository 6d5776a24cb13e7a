import type { CallEvent, CallProgressPayload } from '@passerelle/shared/events';
import { sql, type Updateable } from 'kysely';
import { AgentStates, planState, toView } from '../agents/states.ts';
import { loadCampaign, settleAttempt, technicalOutcome, type AttemptRow } from '../dialer/attempts.ts';
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

/**
 * The one entry point for call progress (contract in BRIEF.md): the telephony module reports
 * ringing / answered / ended; this updates the attempt (ring and talk durations, SIP code, cause),
 * drives the trainee's state machine and pushes the change to the trainee and supervisors.
 * Late or repeated events for a closed attempt are ignored (events may arrive twice).
 */
export function callProgress(deps: DialerDeps, campaigns?: CampaignCache) {
  const agents = new AgentStates(deps.db);
  return {
    async report(ev: CallProgressReport): Promise<void> {
      const after = new AfterCommit();
      await deps.db.transaction().execute(async (trx) => {
        // An ended call needs its campaign: its version, for the dialer's cached copy (CampaignCache.at).
        const version = ev.event === 'ended' ? sql`, (select xmin::text from campaigns k where k.id = a.campaign_id) as campaign_version` : sql``;
        const a = (await sql<AttemptRow & { campaignVersion?: string }>`select a.* ${version} from call_attempts a where a.id = ${ev.attemptId} for update`.execute(trx)).rows[0];
        if (!a || a.status === 'closed' || a.status === 'offered' || a.status === 'wrap_up') return;
        const agent = await agents.lock(trx, a.agentUserId);
        const agentOnCall = agent.attemptId === a.id && ['dialing', 'ringing', 'in_call'].includes(agent.status);
        // The attempt's update and the trainee's new state in one statement.
        const update = async (set: Updateable<CallAttemptsTable>, step: ReturnType<typeof planState> | null) => {
          const row = await trx
            .with('updated', (db) => db.updateTable('callAttempts').set(set).where('id', '=', a.id).returningAll())
            .selectFrom('updated')
            .selectAll()
            .$if(step !== null, (q) => q.select(step!.write.as('agentWritten')))
            .executeTakeFirstOrThrow();
          return { updated: row, view: step?.next ?? null };
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
          if (ev.event === 'ringing' && a.status !== 'dialing') return;
          if (ev.event === 'answered' && a.status === 'in_call') return;
          const { updated, view } = await update(
            ev.event === 'ringing' ? { status: 'ringing', ringingAt: ev.at } : { status: 'in_call', answeredAt: ev.at, ringingAt: a.ringingAt ?? ev.at },
            agentOnCall ? planState(agent, { type: ev.event }, { cause: `call_${ev.event}` }) : null,
          );
          after.add(() => {
            deps.realtime.toAgent(a.agentUserId, 'call:progress', payload());
            deps.realtime.toSupervisors('attempt:update', liveAttempt(updated));
            if (view) emitAgentState(deps.realtime, toView(view));
          });
          return;
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
        const campaign = campaigns && a.campaignVersion ? await campaigns.at(trx, a.campaignId, a.campaignVersion) : await loadCampaign(trx, a.campaignId);
        if (!campaign) throw new Error(`campaign of attempt ${a.id} not found`);
        if (!agentOnCall) {
          // The trainee is gone (console lost): nobody will qualify the call, the line decides.
          await trx.updateTable('callAttempts').set(ended).where('id', '=', a.id).execute();
          const outcome = technicalOutcome({ answeredAt, sipCode: ended.sipCode, dialedAt: a.dialedAt });
          await settleAttempt(trx, { ...a, ...ended }, campaign, outcome, { rulesOffsetMs: rulesOffsetMs(deps.config) });
          after.add(() => deps.realtime.toSupervisors('attempt:closed', { attemptId: a.id, campaignId: a.campaignId, outcome }));
          return;
        }
        const deadline = new Date(ev.at.getTime() + campaign.settings.wrapUpSeconds * 1000);
        const { updated, view } = await update({ ...ended, status: 'wrap_up', wrapUpDeadline: deadline }, planState(agent, { type: 'call_ended' }, { cause: 'call_ended' }));
        after.add(() => {
          deps.realtime.toAgent(a.agentUserId, 'call:progress', payload({ suggestedOutcome: suggested, wrapUpDeadline: deadline.toISOString() }));
          deps.realtime.toSupervisors('attempt:update', liveAttempt(updated));
          if (view) emitAgentState(deps.realtime, toView(view));
        });
      });
      await after.run();
    },
  };
}
