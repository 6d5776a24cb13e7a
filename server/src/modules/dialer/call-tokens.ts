import { sql } from 'kysely';
import { AgentStates, toView } from '../agents/states.ts';
import { openPhones } from '../contacts/pii.ts';
import { isBlocked } from '../blocklists/service.ts';
import { checkCallable, loadCampaign, returnUntouched, type Trx } from './attempts.ts';
import { AfterCommit, emitAgentState, liveAttempt, rulesOffsetMs, type DialerDeps } from './deps.ts';
import { DialerService } from './service.ts';

export type ResolveRefusal = 'unknown' | 'used' | 'expired' | 'wrong_agent' | 'campaign_not_running' | 'outside_window' | 'blocked' | 'attempts_exhausted';
export type ResolveResult =
  | { ok: true; attemptId: string; campaignId: string; contactId: string; destinationE164: string; callerId: string | null }
  | { ok: false; reason: ResolveRefusal };

/** A refusal before anything changed: the transaction rolls back, the refusal is audited alone. */
class Refusal extends Error {
  constructor(readonly reason: ResolveRefusal) {
    super(reason);
  }
}

/**
 * Resolves a call token for the telephony layer (contract in BRIEF.md): single use (marked used
 * atomically), bound to its trainee, then the dial-time rules run again — campaign running,
 * calling window in the callee's zone, blocklists, caps and legal basis. Refusals are audited;
 * a refused dial gives the contact back untouched and the trainee returns to Ready.
 */
export async function resolveCallToken(deps: DialerDeps, input: { token: string; agentUserId: string }): Promise<ResolveResult> {
  const agents = new AgentStates(deps.db);
  const after = new AfterCommit();
  const now = new Date();
  const audit = (reason: ResolveRefusal, attemptId: string | null, trx?: Trx) =>
    deps.audit.record(
      { userId: input.agentUserId, role: 'trainee', partnerId: null, ip: 'sip' },
      { action: 'call.dial_refused', targetType: 'call_attempt', ...(attemptId ? { targetId: attemptId } : {}), details: { reason } },
      trx,
    );
  try {
    const result = await deps.db.transaction().execute(async (trx): Promise<ResolveResult> => {
      const row = /^tk_[0-9A-Za-z]{32}$/.test(input.token)
        ? await trx.selectFrom('callTokens').selectAll().where('token', '=', input.token).forUpdate().executeTakeFirst()
        : undefined;
      if (!row) throw new Refusal('unknown');
      if (row.agentUserId !== input.agentUserId) throw new Refusal('wrong_agent');
      if (row.usedAt) throw new Refusal('used');
      if (row.expiresAt.getTime() <= now.getTime()) throw new Refusal('expired');
      await trx.updateTable('callTokens').set({ usedAt: now }).where('token', '=', row.token).execute();

      const attempt = await trx.selectFrom('callAttempts').selectAll().where('id', '=', row.attemptId).forUpdate().executeTakeFirstOrThrow();
      if (attempt.status !== 'offered' || !attempt.contactId) throw new Refusal('used');
      const campaign = await loadCampaign(trx, attempt.campaignId);
      const agent = await agents.lock(trx, input.agentUserId);
      const d = await trx.selectFrom('contactsDialing').selectAll().where('contactId', '=', attempt.contactId).forUpdate().executeTakeFirstOrThrow();

      const refuse = async (reason: ResolveRefusal, contactUpdate?: () => Promise<void>) => {
        await returnUntouched(trx, attempt, 'dial_refused', { reason });
        if (contactUpdate) await contactUpdate();
        if (agent.status === 'offered') {
          const view = await agents.apply(trx, agent, { type: 'offer_returned' }, { cause: 'dial_refused', link: null });
          after.add(() => {
            deps.realtime.toAgent(view.userId, 'offer:withdrawn', { attemptId: attempt.id, reason });
            emitAgentState(deps.realtime, toView(view));
          });
        }
        await audit(reason, attempt.id, trx);
        return { ok: false as const, reason };
      };

      if (!campaign || campaign.row.status !== 'running') return refuse('campaign_not_running');
      const contact = await trx.selectFrom('contacts').select(['legalBasis', 'phonesCipher']).where('id', '=', attempt.contactId).executeTakeFirstOrThrow();
      const setStatus = (status: 'blocked' | 'ineligible') => () =>
        trx.updateTable('contactsDialing').set({ status, updatedAt: now }).where('contactId', '=', d.contactId).execute().then(() => undefined);
      if (campaign.row.legalBasisRequired && !contact.legalBasis) return refuse('blocked', setStatus('ineligible'));
      if (await isBlocked(trx, d.partnerId, d.phoneHmac)) return refuse('blocked', setStatus('blocked'));
      const notCallable = await checkCallable(trx, campaign, d, now, { rulesOffsetMs: rulesOffsetMs(deps.config) });
      if (notCallable) {
        return refuse(notCallable.reason === 'attempts_exhausted' ? 'attempts_exhausted' : 'outside_window', () =>
          trx
            .updateTable('contactsDialing')
            .set(notCallable.nextAt ? { nextAt: notCallable.nextAt } : { status: notCallable.reason === 'campaign_over' ? 'expired' : 'exhausted' })
            .where('contactId', '=', d.contactId)
            .where('status', 'in', ['pending', 'callback'])
            .execute()
            .then(() => undefined),
        );
      }

      const key = await deps.vault.keyFor(campaign.row.id, trx);
      const [destination] = openPhones(deps.vault, key, contact.phonesCipher);
      if (!destination) throw new Error(`contact ${d.contactId} has no number`);
      const dialed = await trx
        .updateTable('callAttempts')
        .set({ status: 'dialing', dialedAt: now })
        .where('id', '=', attempt.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // From now on the attempt counts (caps, max attempts); the lock lasts until the call is closed.
      await trx
        .updateTable('contactsDialing')
        .set({ attempts: sql`attempts + 1`, lockExpiresAt: new Date(now.getTime() + deps.config.DIALER_MAX_CALL_MIN * 60_000), updatedAt: now })
        .where('contactId', '=', d.contactId)
        .execute();
      if (agent.status === 'offered') {
        const view = await agents.apply(trx, agent, { type: 'dial' }, { cause: 'token_resolved' });
        after.add(() => emitAgentState(deps.realtime, toView(view)));
      }
      after.add(() => deps.realtime.toSupervisors('attempt:update', liveAttempt(dialed)));
      return { ok: true, attemptId: attempt.id, campaignId: attempt.campaignId, contactId: attempt.contactId, destinationE164: destination, callerId: campaign.settings.callerId };
    });
    await after.run();
    // A refused dial put the trainee back to Ready: offer the next contact now rather than at the next sweep.
    if (!result.ok && deps.redis) await new DialerService({ ...deps, redis: deps.redis }).dispatch();
    return result;
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    await audit(err.reason, null);
    return { ok: false, reason: err.reason };
  }
}
