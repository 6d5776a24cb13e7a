import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededApp, type TestContext } from './app.ts';
import type { Fixture } from './fixtures.ts';
import { addContacts, makeCampaign } from './vault-fixtures.ts';
import { DataKey, Vault, VaultError } from '../src/modules/vault/vault.ts';
import { openPhones, openPii } from '../src/modules/contacts/pii.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const cli = path.join(root, 'server/src/modules/vault/rewrap-cli.ts');

let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => ({ ctx, fx } = await startSeededApp()));
afterAll(() => ctx?.close());

describe('vault', () => {
  it('creates one wrapped data key per campaign, stored with the master key id', async () => {
    const c1 = await makeCampaign(ctx.app, fx.partnerA);
    const c2 = await makeCampaign(ctx.app, fx.partnerA);
    const k1 = await ctx.app.vault.keyFor(c1);
    const k2 = await ctx.app.vault.keyFor(c2);
    expect(k1.material.equals(k2.material)).toBe(false);
    // A second Vault (another instance) unwraps the same key from the database.
    const other = new Vault(ctx.app.db, ctx.config);
    expect((await other.keyFor(c1)).material.equals(k1.material)).toBe(true);
    const row = await ctx.app.db.selectFrom('campaignKeys').selectAll().where('campaignId', '=', c1).executeTakeFirstOrThrow();
    expect(row.masterKeyId).toBe(ctx.config.MASTER_KEY_ID);
    expect(row.wrappedKey!.includes(k1.material)).toBe(false);
    expect(JSON.stringify({ k1 })).not.toContain(k1.material.toString('hex'));
  });

  it('refuses a blob copied into another campaign', async () => {
    const c1 = await makeCampaign(ctx.app, fx.partnerA);
    const c2 = await makeCampaign(ctx.app, fx.partnerA);
    const blob = ctx.app.vault.encryptJson(await ctx.app.vault.keyFor(c1), { lastName: 'Dupont' });
    expect(ctx.app.vault.decryptJson(await ctx.app.vault.keyFor(c1), blob)).toEqual({ lastName: 'Dupont' });
    // Even with the very same key material, the campaign binding (AAD) refuses it.
    const k1 = await ctx.app.vault.keyFor(c1);
    expect(() => ctx.app.vault.decrypt(new DataKey(c2, k1.material), blob)).toThrow(VaultError);
    const k2 = await ctx.app.vault.keyFor(c2);
    expect(() => ctx.app.vault.decrypt(k2, blob)).toThrow(VaultError);
  });

  it('makes contacts unreadable once the campaign is shredded', async () => {
    const c = await makeCampaign(ctx.app, fx.partnerA);
    const [id] = await addContacts(ctx.app, c, [{ phones: ['+590690001201'], pii: { firstName: 'Marie', lastName: 'Dupont' } }]);
    const row = await ctx.app.db.selectFrom('contacts').select(['phonesCipher', 'piiCipher']).where('id', '=', id!).executeTakeFirstOrThrow();
    const key = await ctx.app.vault.keyFor(c);
    expect(openPii(ctx.app.vault, key, row.piiCipher).lastName).toBe('Dupont');
    expect(openPhones(ctx.app.vault, key, row.phonesCipher)).toEqual(['+590690001201']);

    await ctx.app.vault.shred(c);
    const keyRow = await ctx.app.db.selectFrom('campaignKeys').selectAll().where('campaignId', '=', c).executeTakeFirstOrThrow();
    expect(keyRow.wrappedKey).toBeNull();
    expect(keyRow.destroyedAt).toBeInstanceOf(Date);
    await expect(ctx.app.vault.keyFor(c)).rejects.toMatchObject({ reason: 'key_destroyed' });
    // Another instance (fresh cache) cannot either, and never silently creates a new key.
    await expect(new Vault(ctx.app.db, ctx.config).keyFor(c)).rejects.toBeInstanceOf(VaultError);
    await ctx.app.vault.shred(c); // idempotent
  });

  it('shredding a campaign that never had a key blocks key creation', async () => {
    const c = await makeCampaign(ctx.app, fx.partnerB);
    await ctx.app.vault.shred(c);
    await expect(ctx.app.vault.keyFor(c)).rejects.toMatchObject({ reason: 'key_destroyed' });
  });

  it('rotates the master key: rewrapKeys re-wraps live keys, data stays readable', async () => {
    const oldKey = '33'.repeat(32);
    const before = new Vault(ctx.app.db, { ...ctx.config, MASTER_KEY: oldKey, MASTER_KEY_ID: 'mk-old' });
    const c = await makeCampaign(ctx.app, fx.partnerA);
    const dead = await makeCampaign(ctx.app, fx.partnerA);
    const k = await before.keyFor(c);
    await before.keyFor(dead);
    await before.shred(dead);
    const blob = before.encryptJson(k, { city: 'Baie-Mahault' });

    const after = new Vault(ctx.app.db, { ...ctx.config, MASTER_KEY: '44'.repeat(32), MASTER_KEY_ID: 'mk-new' });
    await expect(after.keyFor(c)).rejects.toMatchObject({ reason: 'unknown_master_key' });
    expect(await after.rewrapKeys('55'.repeat(32))).toMatchObject({ rewrapped: 0 });
    const res = await after.rewrapKeys(oldKey);
    expect(res.rewrapped).toBeGreaterThanOrEqual(1);
    expect(res.failed).not.toContain(c);
    const row = await ctx.app.db.selectFrom('campaignKeys').select('masterKeyId').where('campaignId', '=', c).executeTakeFirstOrThrow();
    expect(row.masterKeyId).toBe('mk-new');
    expect(after.decryptJson(await after.keyFor(c), blob)).toEqual({ city: 'Baie-Mahault' });
    await expect(after.keyFor(dead)).rejects.toMatchObject({ reason: 'key_destroyed' });
  });

  it('keeps a named key (practice recordings) apart from campaign keys, and rotates it too', async () => {
    const oldKey = '77'.repeat(32);
    const before = new Vault(ctx.app.db, { ...ctx.config, MASTER_KEY: oldKey, MASTER_KEY_ID: 'mk-named' });
    const k = await before.namedKey('practice-recordings');
    const blob = before.encrypt(k, 'audio');
    expect((await new Vault(ctx.app.db, { ...ctx.config, MASTER_KEY: oldKey, MASTER_KEY_ID: 'mk-named' }).namedKey('practice-recordings')).material.equals(k.material)).toBe(true);
    // Bound to its name: the same material under a campaign's context does not open it.
    expect(() => before.decrypt(new DataKey(fx.partnerA, k.material), blob)).toThrow(VaultError);
    const row = await ctx.app.db.selectFrom('vaultKeys').selectAll().where('name', '=', 'practice-recordings').executeTakeFirstOrThrow();
    expect(row.wrappedKey.includes(k.material)).toBe(false);
    const after = new Vault(ctx.app.db, { ...ctx.config, MASTER_KEY: '88'.repeat(32), MASTER_KEY_ID: 'mk-named2' });
    await expect(after.namedKey('practice-recordings')).rejects.toMatchObject({ reason: 'unknown_master_key' });
    await after.rewrapKeys(oldKey);
    expect(after.decrypt(await after.namedKey('practice-recordings'), blob).toString()).toBe('audio');
    // Back under the test's master key for the tests that follow.
    await new Vault(ctx.app.db, ctx.config).rewrapKeys('88'.repeat(32));
  });

  // Last: it re-wraps every key of this database under another master key.
  it('npm run vault:rewrap re-wraps with the deployed master key and audits it', async () => {
    const c = await makeCampaign(ctx.app, fx.partnerB);
    const before = await ctx.app.vault.keyFor(c);
    const env = { ...process.env, DATABASE_URL: ctx.databaseUrl, MASTER_KEY: '66'.repeat(32), MASTER_KEY_ID: 'mk-cli', LOOKUP_HMAC_KEY: '22'.repeat(32), SESSION_SECRET: 'x'.repeat(40) };
    const bad = spawnSync(tsx, [cli], { env: { ...env, OLD_MASTER_KEY: 'nope' }, encoding: 'utf8' });
    expect(bad.status).toBe(78);
    const run = spawnSync(tsx, [cli], { env: { ...env, OLD_MASTER_KEY: ctx.config.MASTER_KEY }, encoding: 'utf8' });
    expect(run.stdout).toMatch(/re-chiffrée\(s\) sous mk-cli/);
    const rotated = new Vault(ctx.app.db, { ...ctx.config, MASTER_KEY: '66'.repeat(32), MASTER_KEY_ID: 'mk-cli' });
    expect((await rotated.keyFor(c)).material.equals(before.material)).toBe(true);
    const audit = await ctx.app.db.selectFrom('auditLog').select(['targetId', 'details']).where('action', '=', 'vault.rewrap').executeTakeFirstOrThrow();
    expect(audit.targetId).toBe('mk-cli');
    expect((audit.details as { rewrapped: number }).rewrapped).toBeGreaterThan(0);
  });

  it('hashes numbers with the lookup key', () => {
    expect(ctx.app.vault.phoneHmac('+590690001201')).toMatch(/^[0-9a-f]{64}$/);
    expect(ctx.app.vault.phoneHmac('+590690001201')).not.toBe(ctx.app.vault.phoneHmac('+590690001202'));
  });
});
