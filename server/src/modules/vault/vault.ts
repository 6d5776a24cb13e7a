import type { Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database, Db } from '../../db/database.ts';
import { dataAad, hmacHex, newDataKey, open, seal, VaultError, wrapAad } from './crypto.ts';

export { VaultError } from './crypto.ts';

type Executor = Db | Transaction<Database>;
export type VaultConfig = Pick<Config, 'MASTER_KEY' | 'MASTER_KEY_ID' | 'LOOKUP_HMAC_KEY'>;

/**
 * An unwrapped data key: a campaign's, or a named one (see `namedKey`). Lives in server memory
 * only; never serialize or log it.
 */
export class DataKey {
  constructor(
    /** What blobs are bound to (AAD): the campaign id, or "key:<name>" for a named key. */
    readonly context: string,
    /** Raw AES-256 key (for worker threads that encrypt in bulk with crypto.ts `seal`). */
    readonly material: Buffer,
  ) {}
  toJSON() {
    return `[DataKey ${this.context}]`;
  }
}

/** Named keys for data that belongs to no campaign. */
export type NamedKey = 'practice-recordings';
const namedContext = (name: NamedKey) => `key:${name}`;

/** How long an unwrapped key stays cached; bounds how long another instance can use a shredded key. */
const CACHE_MS = 5 * 60_000;

/**
 * Envelope encryption of partner PII (DESIGN.md invariant 3): one random data key per campaign,
 * stored wrapped (AES-256-GCM) by the configured master key; blobs bound to their campaign.
 */
export class Vault {
  private readonly master: Buffer;
  private readonly lookup: Buffer;
  private readonly cache = new Map<string, { key: DataKey; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly config: VaultConfig,
  ) {
    this.master = Buffer.from(config.MASTER_KEY, 'hex');
    this.lookup = Buffer.from(config.LOOKUP_HMAC_KEY, 'hex');
  }

  /**
   * The campaign's data key, created on first use. Throws VaultError('key_destroyed') once the
   * campaign was shredded. A key created inside `trx` is not cached until read back committed.
   */
  async keyFor(campaignId: string, trx?: Transaction<Database>): Promise<DataKey> {
    const hit = this.cache.get(campaignId);
    if (hit && hit.until > Date.now()) return hit.key;
    const exec: Executor = trx ?? this.db;
    let row = await this.readKeyRow(exec, campaignId);
    let created = false;
    if (!row) {
      const wrapped = seal(this.master, newDataKey(), wrapAad(campaignId, this.config.MASTER_KEY_ID));
      const inserted = await exec
        .insertInto('campaignKeys')
        .values({ campaignId, wrappedKey: wrapped, masterKeyId: this.config.MASTER_KEY_ID })
        .onConflict((oc) => oc.column('campaignId').doNothing())
        .returning('campaignId')
        .executeTakeFirst();
      created = inserted !== undefined;
      row = await this.readKeyRow(exec, campaignId);
      if (!row) throw new VaultError('key_missing', `no data key for campaign ${campaignId}`);
    }
    if (row.destroyedAt || !row.wrappedKey) throw new VaultError('key_destroyed', `data key of campaign ${campaignId} was destroyed`);
    if (row.masterKeyId !== this.config.MASTER_KEY_ID) {
      throw new VaultError('unknown_master_key', `data key of campaign ${campaignId} is wrapped by master key ${row.masterKeyId}; run rewrapKeys`);
    }
    const key = new DataKey(campaignId, open(this.master, row.wrappedKey, wrapAad(campaignId, row.masterKeyId)));
    if (!(created && trx)) this.cache.set(campaignId, { key, until: Date.now() + CACHE_MS });
    return key;
  }

  /**
   * A data key that belongs to no campaign (created on first use, never shredded): e.g. practice
   * recordings, which have no campaign. Blobs are bound to the name, never to a campaign.
   */
  async namedKey(name: NamedKey): Promise<DataKey> {
    const context = namedContext(name);
    const hit = this.cache.get(context);
    if (hit && hit.until > Date.now()) return hit.key;
    const read = () => this.db.selectFrom('vaultKeys').select(['wrappedKey', 'masterKeyId']).where('name', '=', name).executeTakeFirst();
    let row = await read();
    if (!row) {
      const wrapped = seal(this.master, newDataKey(), wrapAad(context, this.config.MASTER_KEY_ID));
      await this.db
        .insertInto('vaultKeys')
        .values({ name, wrappedKey: wrapped, masterKeyId: this.config.MASTER_KEY_ID })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      row = await read();
      if (!row) throw new VaultError('key_missing', `no data key named ${name}`);
    }
    if (row.masterKeyId !== this.config.MASTER_KEY_ID) {
      throw new VaultError('unknown_master_key', `data key ${name} is wrapped by master key ${row.masterKeyId}; run rewrapKeys`);
    }
    const key = new DataKey(context, open(this.master, row.wrappedKey, wrapAad(context, row.masterKeyId)));
    this.cache.set(context, { key, until: Date.now() + CACHE_MS });
    return key;
  }

  encrypt(key: DataKey, data: Buffer | string): Buffer {
    return seal(key.material, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, dataAad(key.context));
  }

  decrypt(key: DataKey, blob: Buffer): Buffer {
    return open(key.material, blob, dataAad(key.context));
  }

  encryptJson(key: DataKey, value: unknown): Buffer {
    return this.encrypt(key, JSON.stringify(value));
  }

  decryptJson<T>(key: DataKey, blob: Buffer): T {
    return JSON.parse(this.decrypt(key, blob).toString('utf8')) as T;
  }

  /** Hex HMAC-SHA256 of a normalized E.164 number: the only form numbers are looked up by. */
  phoneHmac(e164: string): string {
    return hmacHex(this.lookup, e164);
  }

  /** Crypto-shredding: destroys the campaign's data key for good; its blobs become unreadable. */
  async shred(campaignId: string, trx?: Transaction<Database>): Promise<void> {
    this.cache.delete(campaignId);
    await (trx ?? this.db)
      .insertInto('campaignKeys')
      .values({ campaignId, wrappedKey: null, masterKeyId: this.config.MASTER_KEY_ID, destroyedAt: new Date() })
      .onConflict((oc) =>
        oc.column('campaignId').doUpdateSet((eb) => ({
          wrappedKey: null,
          destroyedAt: eb.fn.coalesce('campaignKeys.destroyedAt', eb.ref('excluded.destroyedAt')),
        })),
      )
      .execute();
  }

  /**
   * Master key rotation: re-wraps every live data key (campaign and named) not wrapped by the
   * current master key, unwrapping it with `oldMasterKey` (hex). Keys that the old key cannot open
   * are reported, not touched.
   */
  async rewrapKeys(oldMasterKey: string): Promise<{ rewrapped: number; failed: string[] }> {
    const old = Buffer.from(oldMasterKey, 'hex');
    const current = this.config.MASTER_KEY_ID;
    const rows = await this.db
      .selectFrom('campaignKeys')
      .select(['campaignId', 'wrappedKey', 'masterKeyId'])
      .where('masterKeyId', '<>', current)
      .where('wrappedKey', 'is not', null)
      .execute();
    const named = await this.db
      .selectFrom('vaultKeys')
      .select(['name', 'wrappedKey', 'masterKeyId'])
      .where('masterKeyId', '<>', current)
      .execute();
    let rewrapped = 0;
    const failed: string[] = [];
    for (const row of named) {
      const context = namedContext(row.name as NamedKey);
      let material: Buffer;
      try {
        material = open(old, row.wrappedKey, wrapAad(context, row.masterKeyId));
      } catch {
        failed.push(context);
        continue;
      }
      const res = await this.db
        .updateTable('vaultKeys')
        .set({ wrappedKey: seal(this.master, material, wrapAad(context, current)), masterKeyId: current })
        .where('name', '=', row.name)
        .where('masterKeyId', '=', row.masterKeyId)
        .executeTakeFirst();
      if (res.numUpdatedRows > 0n) rewrapped++;
      this.cache.delete(context);
    }
    for (const row of rows) {
      let material: Buffer;
      try {
        material = open(old, row.wrappedKey!, wrapAad(row.campaignId, row.masterKeyId));
      } catch {
        failed.push(row.campaignId);
        continue;
      }
      const res = await this.db
        .updateTable('campaignKeys')
        .set({ wrappedKey: seal(this.master, material, wrapAad(row.campaignId, current)), masterKeyId: current })
        .where('campaignId', '=', row.campaignId)
        .where('masterKeyId', '=', row.masterKeyId)
        .where('wrappedKey', 'is not', null)
        .executeTakeFirst();
      if (res.numUpdatedRows > 0n) rewrapped++;
      this.cache.delete(row.campaignId);
    }
    return { rewrapped, failed };
  }

  private readKeyRow(exec: Executor, campaignId: string) {
    return exec
      .selectFrom('campaignKeys')
      .select(['wrappedKey', 'masterKeyId', 'destroyedAt'])
      .where('campaignId', '=', campaignId)
      .executeTakeFirst();
  }
}
