import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A recording belongs either to a campaign call (attempt, campaign, partner) or to a practice
  // call (mise en situation: no campaign, no partner), never both.
  await sql`alter table recordings alter column attempt_id drop not null`.execute(db);
  await sql`alter table recordings alter column campaign_id drop not null`.execute(db);
  await sql`alter table recordings alter column partner_id drop not null`.execute(db);
  await sql`alter table recordings add column practice_call_id uuid references practice_calls (id) on delete cascade`.execute(db);
  await sql`alter table recordings add constraint recordings_subject_chk check (
    (attempt_id is not null and campaign_id is not null and partner_id is not null and practice_call_id is null)
    or (attempt_id is null and campaign_id is null and partner_id is null and practice_call_id is not null))`.execute(db);
  await sql`create index recordings_practice_call_idx on recordings (practice_call_id) where practice_call_id is not null`.execute(db);
}
