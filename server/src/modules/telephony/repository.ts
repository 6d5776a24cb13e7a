import { sql, type QueryCreator, type RawBuilder } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import { runPrepared } from '../../db/prepared.ts';
import type { SipEvent } from './schemas.ts';
import type { FinalRecordingStatus, HungUpBy } from './service.ts';

/** SIP calls as the proxy placed them, keyed by Call-ID. */
export class SipCallRepository {
  constructor(private readonly db: Db) {}

  /**
   * The insert recording a placed call, for the dial's own statement (a retransmitted INVITE finds
   * it there); `onlyIf` makes it conditional on the statement's own checks.
   */
  static opening(db: QueryCreator<Database>, call: { callId: string; attemptId: string; campaignId: string; agentUserId: string }, onlyIf: RawBuilder<boolean> = sql<boolean>`true`) {
    return db
      .insertInto('sipCalls')
      .columns(['callId', 'attemptId', 'campaignId', 'agentUserId'])
      .expression(
        db
          .selectNoFrom([
            sql<string>`${call.callId}::text`.as('callId'),
            sql<string>`${call.attemptId}::uuid`.as('attemptId'),
            sql<string>`${call.campaignId}::uuid`.as('campaignId'),
            sql<string>`${call.agentUserId}::uuid`.as('agentUserId'),
          ])
          .where(onlyIf),
      )
      .onConflict((oc) => oc.column('callId').doNothing());
  }

  async byCallId(callId: string) {
    return (await runPrepared(this.db, 'sip_call', this.db.selectFrom('sipCalls').selectAll().where('callId', '=', callId))).rows[0];
  }

  /** The live call of an attempt (latest), if any. */
  async liveByAttempt(attemptId: string) {
    return this.db
      .selectFrom('sipCalls')
      .selectAll()
      .where('attemptId', '=', attemptId)
      .where('endedAt', 'is', null)
      .orderBy('resolvedAt', 'desc')
      .executeTakeFirst();
  }

  /** The agent's call in progress, if any. */
  async liveByAgent(agentUserId: string) {
    return this.db
      .selectFrom('sipCalls')
      .selectAll()
      .where('agentUserId', '=', agentUserId)
      .where('endedAt', 'is', null)
      .orderBy('resolvedAt', 'desc')
      .executeTakeFirst();
  }

  async openCalls(olderThan: Date) {
    return this.db.selectFrom('sipCalls').selectAll().where('endedAt', 'is', null).where('resolvedAt', '<', olderThan).execute();
  }

  /**
   * Records an event in one statement and returns the call, or nothing when the call is unknown
   * here or the event was already recorded (Kamailio may repeat). An ended call's recording is
   * marked as being processed.
   */
  async apply(ev: SipEvent, at: Date, hungUpBy: HungUpBy | null) {
    const q = this.db.updateTable('sipCalls').where('callId', '=', ev.callId);
    const updated =
      ev.event === 'ringing'
        ? q.set({ ringingAt: at }).where('ringingAt', 'is', null).where('endedAt', 'is', null)
        : ev.event === 'answered'
          ? q.set({ answeredAt: at, fromTag: ev.fromTag ?? null, toTag: ev.toTag ?? null }).where('answeredAt', 'is', null).where('endedAt', 'is', null)
          : q
              .set({
                endedAt: at,
                sipCode: ev.sipCode ?? null,
                cause: ev.cause ?? null,
                hungUpBy,
                // The recording is stored next (TelephonyService.finish).
                recordingStatus: 'processing',
              })
              .where('endedAt', 'is', null);
    return (await runPrepared(this.db, 'sip_call_event', updated.returning(['callId', 'attemptId', 'campaignId', 'hungUpBy']))).rows[0];
  }

  async markTerminatedBy(callId: string, userId: string): Promise<void> {
    await this.db.updateTable('sipCalls').set({ terminatedBy: userId }).where('callId', '=', callId).execute();
  }

  async setRecordingStatus(callId: string, status: FinalRecordingStatus): Promise<void> {
    await this.db.updateTable('sipCalls').set({ recordingStatus: status }).where('callId', '=', callId).execute();
  }
}
