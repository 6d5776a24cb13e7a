import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestContext } from './app.ts';
import { login, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { makeCampaign } from './vault-fixtures.ts';
import { upload } from './imports-helpers.ts';

let ctx: TestContext;
let fx: Fixture;
let partnerA: LoggedIn;

beforeAll(async () => {
  ctx = await startTestApp({ UPLOAD_MAX_MB: '1' });
  fx = await seedFixture(ctx.app);
  partnerA = await login(ctx.app, fx.users.partnerA.username);
});
afterAll(() => ctx?.close());

it('refuses an upload over UPLOAD_MAX_MB with 413 and a French message, keeping nothing', async () => {
  const campaign = await makeCampaign(ctx.app, fx.partnerA);
  const line = 'Nom;0690001234;Ville;97100\n';
  const big = 'Nom;Téléphone;Ville;CP\n' + line.repeat(Math.ceil((1.5 * 1024 * 1024) / line.length));
  const res = await upload(ctx.app, partnerA.headers, campaign, 'gros.csv', big);
  expect(res.statusCode).toBe(413);
  expect(res.json().error).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringMatching(/taille maximale autorisée \(1 Mo\)/) });
  const dir = path.join(ctx.config.DATA_DIR, 'imports', campaign);
  expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  expect(await ctx.app.db.selectFrom('imports').select('id').execute()).toHaveLength(0);
  // Just under the limit is fine.
  const small = 'Nom;Téléphone\n' + 'Nom;0690001234\n'.repeat(1000);
  expect((await upload(ctx.app, partnerA.headers, campaign, 'petit.csv', small)).statusCode).toBe(201);
});
