import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Current state of each trainee (one row per trainee who ever connected).
  await db.schema
    .createTable('agent_presence')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('pending_pause', 'text')
    .addColumn('since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempt_id', 'uuid')
    .addColumn('campaign_id', 'uuid')
    .addColumn('last_heartbeat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('agent_presence_status_chk', sql`status in ('offline', 'ready', 'offered', 'dialing', 'ringing', 'in_call', 'wrap_up', 'paused')`)
    .execute();
  await sql`create index agent_presence_ready_idx on agent_presence (since) where status = 'ready'`.execute(db);
  // Every state with its start and end: the trainee's working-time record (contrat d'emploi pénitentiaire).
  await db.schema
    .createTable('agent_state_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('cause', 'text')
    .execute();
  await sql`create unique index agent_state_log_open on agent_state_log (user_id) where ended_at is null`.execute(db);
  await sql`create index agent_state_log_user_time on agent_state_log (user_id, started_at)`.execute(db);
}
