import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Attempts outlive a purge as working records, but the number's HMAC goes with the contact.
  await sql`create function call_attempts_forget_numbers() returns trigger language plpgsql as $$
    begin
      update call_attempts a set phone_hmac = null
      from old_rows o
      where a.campaign_id = o.campaign_id and a.phone_hmac = o.phone_hmac;
      return null;
    end $$`.execute(db);
  await sql`create trigger call_attempts_forget_numbers after delete on contacts
    referencing old table as old_rows for each statement execute function call_attempts_forget_numbers()`.execute(db);
}
