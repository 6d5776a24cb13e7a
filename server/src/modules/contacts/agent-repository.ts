import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ContactCardsView } from './tables.ts';

/**
 * The only tables agent-facing code may query: the masked cards. `contacts` (ciphertext, HMACs)
 * and `campaign_keys` are not part of this type, so such code cannot even name them.
 */
export interface AgentDatabase {
  contactCards: ContactCardsView;
}
export type AgentDb = Kysely<AgentDatabase>;

/** Narrows the full database handle to the agent view (same pool; type-level restriction). */
export function agentDb(db: Db): AgentDb {
  return db as unknown as AgentDb;
}

export type ContactCard = ContactCardsView;

/** Reads masked contact cards for agents (offers, call screens). */
export class AgentContactRepository {
  constructor(private readonly db: AgentDb) {}

  card(contactId: string): Promise<ContactCard | undefined> {
    return this.db.selectFrom('contactCards').selectAll().where('id', '=', contactId).executeTakeFirst();
  }

  cards(contactIds: readonly string[]): Promise<ContactCard[]> {
    if (contactIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('contactCards').selectAll().where('id', 'in', contactIds).execute();
  }
}
