import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One round trip for a state change (AgentStates.apply): the current state, and when it changed
  // the end of the previous log entry and the start of the next, in this order (one open entry per trainee).
  await sql`create function agent_state_write(
      p_user uuid, p_status text, p_reason text, p_pending text, p_since timestamptz,
      p_attempt uuid, p_campaign uuid, p_heartbeat boolean, p_changed boolean, p_cause text, p_now timestamptz)
    returns void language plpgsql as $$
    begin
      update agent_presence
         set status = p_status, reason = p_reason, pending_pause = p_pending, since = p_since,
             attempt_id = p_attempt, campaign_id = p_campaign,
             last_heartbeat_at = case when p_heartbeat then p_now else last_heartbeat_at end
       where user_id = p_user;
      if p_changed then
        update agent_state_log set ended_at = p_now where user_id = p_user and ended_at is null;
        if p_status <> 'offline' then
          insert into agent_state_log (user_id, status, reason, started_at, ended_at, cause)
          values (p_user, p_status, p_reason, p_now, null, p_cause);
        end if;
      end if;
    end $$`.execute(db);
}
