import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The callee zones present in each campaign, written with the dialing rows: the hopper needs
  // them on every refill, and a distinct over a million dialing rows took half a second.
  await sql`create table campaign_zones (
      campaign_id uuid not null references campaigns (id) on delete cascade,
      territory text not null,
      time_zone text not null,
      primary key (campaign_id, territory, time_zone))`.execute(db);
  await sql`insert into campaign_zones select distinct campaign_id, territory, time_zone from contacts_dialing`.execute(db);
}
