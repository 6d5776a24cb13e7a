import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, repoRoot, startServer, type RunningServer, type StartServerOptions } from './server.ts';

const run = promisify(execFile);
const SCRIPTS = path.join(repoRoot, 'telephony/scripts');

export interface TelephonyStack {
  /** ws:// URL agents connect to. */
  wsUrl: string;
  domain: string;
  sipUdpPort: number;
  trunkPort: number;
  ngPort: number;
  varDir: string;
  /** Environment of the stack (what start.sh was given). */
  env: Record<string, string>;
  /** Server configuration matching this stack (secrets, rtpengine, spool, control socket). */
  serverEnv: Record<string, string>;
  /** Every SIP message the simulated trunk (SIPp) received or sent so far. */
  trunkLog: () => Promise<string>;
  kamailioLog: () => Promise<string>;
  stop: () => Promise<void>;
}

export interface TelephonyOptions {
  /** URL of the server Kamailio asks (token resolution, events). */
  serverUrl: string;
  /** Proxy ring timeout before "no answer" (ms). */
  ringTimeoutMs?: number;
  /** Extra Kamailio defines (-A), e.g. WITH_UDP_AGENTS. */
  defines?: string[];
  env?: Record<string, string>;
}

/**
 * Kamailio + rtpengine + SIPp trunk through telephony/scripts/start.sh, on free ports and a
 * private var directory, so several stacks (tests, the demo) coexist on one machine.
 */
export async function startTelephony(options: TelephonyOptions): Promise<TelephonyStack> {
  const varDir = await mkdtemp(path.join(os.tmpdir(), 'passerelle-telephony-'));
  const [sipUdp, ws, ng, trunk, trunkMedia] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const rtpBase = 40000 + Math.floor(Math.random() * 190) * 100;
  const env: Record<string, string> = {
    TELEPHONY_VAR: varDir,
    SERVER_URL: options.serverUrl,
    SIP_AUTH_SECRET: randomBytes(16).toString('hex'),
    SIP_API_KEY: randomBytes(16).toString('hex'),
    SIP_DOMAIN: 'passerelle.test',
    SIP_UDP_PORT: String(sipUdp),
    SIP_WS_PORT: String(ws),
    RTPENGINE_NG_PORT: String(ng),
    RTP_PORT_MIN: String(rtpBase),
    RTP_PORT_MAX: String(rtpBase + 99),
    TRUNK_PORT: String(trunk),
    TRUNK_MEDIA_PORT: String(trunkMedia),
    RING_TIMEOUT_MS: String(options.ringTimeoutMs ?? 6000),
    KAMAILIO_DEFINES: (options.defines ?? []).join(' '),
    CHILDREN: '2',
    LOG_LEVEL: '2',
    ...options.env,
  };
  const childEnv = { ...process.env, ...env };
  const stop = async () => {
    await run('bash', [path.join(SCRIPTS, 'stop.sh')], { env: childEnv }).catch(() => undefined);
    // KEEP_TELEPHONY_VAR=1 keeps configs and logs for diagnosis.
    if (process.env.KEEP_TELEPHONY_VAR !== '1') await rm(varDir, { recursive: true, force: true });
  };
  try {
    await run('bash', [path.join(SCRIPTS, 'start.sh')], { env: childEnv, timeout: 30_000 });
  } catch (err) {
    const log = await readFile(path.join(varDir, 'kamailio.log'), 'utf8').catch(() => '');
    await stop();
    throw new Error(`telephony start failed: ${(err as Error).message}\n${log.slice(-3000)}`);
  }
  return {
    wsUrl: `ws://127.0.0.1:${ws}`,
    domain: env.SIP_DOMAIN!,
    sipUdpPort: sipUdp,
    trunkPort: trunk,
    ngPort: ng,
    varDir,
    env,
    serverEnv: {
      SIP_AUTH_SECRET: env.SIP_AUTH_SECRET!,
      SIP_API_KEY: env.SIP_API_KEY!,
      SIP_DOMAIN: env.SIP_DOMAIN!,
      SIP_WS_URL: `ws://127.0.0.1:${ws}`,
      RTPENGINE_NG: `127.0.0.1:${ng}`,
      TELEPHONY_SPOOL_DIR: path.join(varDir, 'recordings'),
      KAMAILIO_CTL: path.join(varDir, 'kamailio_ctl'),
    },
    trunkLog: () => readFile(path.join(varDir, 'trunk-messages.log'), 'utf8').catch(() => ''),
    kamailioLog: () => readFile(path.join(varDir, 'kamailio.log'), 'utf8').catch(() => ''),
    stop,
  };
}

export interface TelephonyTestStack {
  server: RunningServer;
  telephony: TelephonyStack;
  close: () => Promise<void>;
}

/** The whole stack for one test file: telephony daemons plus the real server wired to them. */
export async function startTelephonyTestStack(
  options: Omit<TelephonyOptions, 'serverUrl'> & { server?: StartServerOptions } = {},
): Promise<TelephonyTestStack> {
  const port = await freePort();
  const telephony = await startTelephony({ ...options, serverUrl: `http://127.0.0.1:${port}` });
  let server: RunningServer;
  try {
    server = await startServer({ ...options.server, port, env: { ...telephony.serverEnv, ...options.server?.env } });
  } catch (err) {
    await telephony.stop();
    throw err;
  }
  return {
    server,
    telephony,
    // Telephony first: no call event may reach a server that is closing its database.
    close: async () => {
      await telephony.stop();
      await server.close();
    },
  };
}

/** What the server and Kamailio know of a call, for a failure message: rows, and the proxy's complaints. */
export async function callDiagnosis(stack: TelephonyTestStack, attemptId: string): Promise<string> {
  const { db } = stack.server.app;
  const attempt = await db.selectFrom('callAttempts').select(['status', 'endedAt', 'hungUpBy', 'cause', 'sipCode', 'ringSeconds', 'agentUserId']).where('id', '=', attemptId).executeTakeFirst();
  const sip = await db.selectFrom('sipCalls').select(['callId', 'answeredAt', 'endedAt', 'terminatedBy', 'hungUpBy']).where('attemptId', '=', attemptId).execute();
  const refusals = await db.selectFrom('auditLog').select(['action', 'details']).where('targetId', '=', attemptId).where('action', '=', 'call.dial_refused').execute();
  const agent = attempt && (await db.selectFrom('agentPresence').select(['status', 'attemptId', 'since', 'pendingPause']).where('userId', '=', attempt.agentUserId).executeTakeFirst());
  const proxy = (await stack.telephony.kamailioLog()).split('\n').filter((l) => /ERROR|WARNING|event|deliver/.test(l) && !l.includes('core limits'));
  return JSON.stringify({ attempt, sip, refusals, agent, proxy: proxy.slice(-20) }, null, 1);
}

/** `wait`, or its failure with the call's diagnosis (and `more`, e.g. the browser's state) appended. */
export async function explained<T>(stack: TelephonyTestStack, attemptId: string, wait: Promise<T>, more: () => Promise<string> = async () => ''): Promise<T> {
  return wait.catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await more()}\n${await callDiagnosis(stack, attemptId)}`);
  });
}

export interface OfferedCall {
  token: string;
  attemptId: string;
  campaignId: string;
}

/**
 * A real offer from the dialer for one synthetic contact: a running campaign open all week, the
 * trainee assigned, connected and Ready; the dialer then picks the contact and issues the token.
 */
export async function offerCall(app: RunningServer['app'], opts: { partnerId: string; traineeId: string; phone: string; campaignId?: string }): Promise<OfferedCall> {
  const { makeCampaign, addContacts } = await import('../../server/test/vault-fixtures.ts');
  const campaignId = opts.campaignId ?? (await makeCampaign(app, opts.partnerId, { name: 'Campagne téléphonie', type: 'after_sales' }));
  await app.db
    .updateTable('campaigns')
    .set({
      status: 'running',
      windows: JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }]),
      callerId: '+590590990000',
    } as never)
    .where('id', '=', campaignId)
    .execute();
  // Only this campaign for this trainee, so the dialer offers exactly this contact.
  await app.db.deleteFrom('campaignAgents').where('userId', '=', opts.traineeId).execute();
  await app.db.insertInto('campaignAgents').values({ campaignId, userId: opts.traineeId }).execute();
  await addContacts(app, campaignId, [{ phones: [opts.phone], pii: { firstName: 'Client', lastName: 'Synthétique' } }]);
  await app.dialer.connect(opts.traineeId);
  await app.dialer.ready(opts.traineeId);
  const row = await app.db
    .selectFrom('callTokens')
    .innerJoin('callAttempts', 'callAttempts.id', 'callTokens.attemptId')
    .select(['callTokens.token', 'callTokens.attemptId', 'callAttempts.campaignId'])
    .where('callTokens.agentUserId', '=', opts.traineeId)
    .where('callTokens.usedAt', 'is', null)
    .orderBy('callTokens.createdAt', 'desc')
    .executeTakeFirst();
  if (!row) throw new Error('the dialer made no offer');
  return { token: row.token, attemptId: row.attemptId, campaignId: row.campaignId };
}

/** A fresh trainee at the fixture's site (one per scenario: a trainee holds one open attempt). */
export async function addTrainee(app: RunningServer['app'], siteId: string): Promise<string> {
  const row = await app.db
    .insertInto('users')
    .values({ username: `sip-${randomBytes(4).toString('hex')}@test`, displayName: 'Conseiller SIP', role: 'trainee', siteId, passwordHash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A stored recording's audio, after checking it is encrypted at rest (no WAV header, no run of
 * the clear audio in the file) and decrypts to a WAV: its 16-bit samples.
 */
export async function decryptedRecording(app: RunningServer['app'], rec: { path: string; campaignId: string | null; sha256: string }): Promise<Int16Array> {
  const atRest = await readFile(rec.path);
  const clear = await app.telephony.recordings.audio(rec);
  if (atRest.subarray(0, 4).toString('latin1') === 'RIFF' || atRest.includes(clear.subarray(44, 1044))) throw new Error(`recording ${rec.path} is not encrypted at rest`);
  if (clear.subarray(0, 4).toString() !== 'RIFF') throw new Error('recording does not decrypt to a WAV file');
  return new Int16Array(clear.buffer.slice(clear.byteOffset + 44, clear.byteOffset + clear.length));
}
