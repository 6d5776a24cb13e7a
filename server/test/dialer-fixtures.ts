import { io as connect, type Socket } from 'socket.io-client';
import type { AgentClientToServer, AgentServerToClient, FloorBatch, SupervisorClientToServer, SupervisorServerToClient } from '@passerelle/shared/events';
import { holidayOn } from '@passerelle/shared/holidays';
import { maskedCard } from '@passerelle/shared/masking';
import type { CampaignType } from '@passerelle/shared/api/campaigns';
import type { App } from '../src/app.ts';
import { sealContact } from '../src/modules/contacts/pii.ts';
import { storeContacts } from '../src/modules/contacts/store.ts';
import { login, type Fixture } from './fixtures.ts';

/**
 * Minutes to add to now so the calling rules are judged on the latest ordinary Wednesday at
 * 15:00 UTC (11:00 in Guadeloupe, 17:00 in Paris): tests then run whatever the real day is.
 */
export function wednesdayOffsetMin(now = new Date()): number {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 15));
  while (d.getUTCDay() !== 3 || d > now || ['GP', 'FR'].some((t) => holidayOn(t, d.toISOString().slice(0, 10)))) d.setUTCDate(d.getUTCDate() - 1);
  return Math.round((d.getTime() - now.getTime()) / 60_000);
}

/** Synthetic Guadeloupe mobile numbers from the fictitious range +590 690 00 xx xx. */
export const syntheticNumber = (i: number) => `+59069000${String(i).padStart(4, '0')}`;

export interface SeededCampaign {
  campaignId: string;
  contactIds: string[];
  numbers: string[];
}

/**
 * A running campaign of partner A with `count` contacts stored the vault's way (encrypted
 * numbers and PII, HMAC, masked card), `trainees` assigned, settings made lawful.
 */
export async function seedRunningCampaign(
  app: App,
  fx: Fixture,
  opts: { count: number; trainees: string[]; type?: CampaignType; settings?: Record<string, unknown>; territory?: string; timeZone?: string; firstNumber?: number },
): Promise<SeededCampaign> {
  const admin = await login(app, fx.users.admin.username, '10.20.0.200');
  const created = await app.inject({
    method: 'POST',
    url: '/api/campaigns',
    headers: admin.headers,
    remoteAddress: '10.20.0.200',
    payload: { name: `Campagne test ${Math.random().toString(36).slice(2, 7)}`, partnerId: fx.partnerA, type: opts.type ?? 'appointment', defaultRegion: 'GP' },
  });
  if (created.statusCode !== 201) throw new Error(`campaign: ${created.statusCode} ${created.body}`);
  const campaignId = created.json().id as string;
  const key = await app.vault.keyFor(campaignId);
  const numbers: string[] = [];
  const rows = [];
  for (let i = 0; i < opts.count; i++) {
    const phone = syntheticNumber((opts.firstNumber ?? 0) + i);
    numbers.push(phone);
    const pii = { firstName: `Prénom${i}`, lastName: `Nom${i}`, city: 'Baie-Mahault', postalCode: '97122', customerRef: `REF-${100000 + i}` };
    rows.push({
      campaignId,
      partnerId: fx.partnerA,
      ...sealContact(app.vault, key, [phone], pii),
      territory: opts.territory ?? 'GP',
      timeZone: opts.timeZone ?? 'America/Guadeloupe',
      legalBasis: 'contract' as const,
      masked: JSON.stringify(maskedCard({ ...pii, phone })),
    });
  }
  const contactIds: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    contactIds.push(...(await storeContacts(app.db, rows.slice(i, i + 1000))));
  }
  const call = async (method: 'PATCH' | 'POST' | 'PUT', url: string, payload: unknown) => {
    const r = await app.inject({ method, url, headers: admin.headers, remoteAddress: '10.20.0.200', payload: payload as object });
    if (r.statusCode !== 200) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  await call('PATCH', `/api/campaigns/${campaignId}/dialing`, { callerId: '+590947500000', ...opts.settings });
  await call('PUT', `/api/campaigns/${campaignId}/trainees`, { traineeIds: opts.trainees });
  await call('POST', `/api/campaigns/${campaignId}/transition`, { to: 'ready' });
  await call('POST', `/api/campaigns/${campaignId}/transition`, { to: 'running' });
  return { campaignId, contactIds, numbers };
}

export type AgentClient = Socket<AgentServerToClient, AgentClientToServer>;
export type SupervisorClient = Socket<SupervisorServerToClient, SupervisorClientToServer>;

/** Every event a client received, in order (to scan payloads and wait for events). */
export class Recorder {
  readonly events: { event: string; args: unknown[] }[] = [];
  private waiters: { match: (e: { event: string; args: unknown[] }) => boolean; resolve: (e: { event: string; args: unknown[] }) => void }[] = [];

  /** A supervisor's `floor:batch` is also recorded as its items, one event each ('agent:state', 'attempt:update', 'attempt:closed', 'campaign:counters'). */
  attach(socket: Socket) {
    socket.onAny((event: string, ...args: unknown[]) => {
      this.record({ event, args });
      if (event !== 'floor:batch') return;
      const b = args[0] as FloorBatch;
      for (const a of b.agents) this.record({ event: 'agent:state', args: [a] });
      for (const a of b.attempts) this.record({ event: 'attempt:update', args: [a] });
      for (const c of b.closed) this.record({ event: 'attempt:closed', args: [c] });
      for (const c of b.campaigns) this.record({ event: 'campaign:counters', args: [c] });
    });
    return this;
  }

  private record(e: { event: string; args: unknown[] }) {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  /** Resolves with the first event (already received after `since`, or future) matching. */
  next<T = unknown>(event: string, where: (payload: T) => boolean = () => true, since = 0, timeoutMs = 10_000): Promise<T> {
    const match = (e: { event: string; args: unknown[] }) => e.event === event && where(e.args[0] as T);
    const seen = this.events.slice(since).find(match);
    if (seen) return Promise.resolve(seen.args[0] as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${event}; last received: ${this.lastEvents()}`)), timeoutMs);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e.args[0] as T)) });
    });
  }

  /** The last few events received, for a timeout's message. */
  private lastEvents() {
    return this.events
      .slice(-6)
      .map((e) => `${e.event} ${JSON.stringify(e.args[0] ?? null).slice(0, 160)}`)
      .join(' | ');
  }

  get mark() {
    return this.events.length;
  }
}

export function connectAs<T extends Socket>(url: string, namespace: '/agent' | '/supervisor', cookie: string): T {
  // forceNew: one connection per client, as each browser has its own (and its own cookie).
  return connect(`${url}${namespace}`, { forceNew: true, transports: ['websocket'], extraHeaders: { cookie }, reconnectionDelay: 200, reconnectionDelayMax: 1000 }) as unknown as T;
}

/** A client connected and recorded from its first event, once its connect snapshot is in; `opened` collects it to disconnect after the tests. */
export async function openClient<T extends AgentClient | SupervisorClient, S = unknown>(url: string, namespace: '/agent' | '/supervisor', cookie: string, opened: { disconnect(): void }[]) {
  const socket = connectAs<AgentClient | SupervisorClient>(url, namespace, cookie) as T;
  opened.push(socket);
  const log = new Recorder().attach(socket);
  const snapshot = await log.next<S>('snapshot');
  return { socket, log, snapshot };
}

/** One open appointment slot of the campaign in three days (onsite, at the partner's agency). */
export async function seedAppointmentSlot(app: App, fx: Fixture, campaignId: string): Promise<string> {
  const admin = await login(app, fx.users.admin.username, '10.20.0.200');
  const start = new Date(Date.now() + 3 * 86_400_000);
  const slots = await app.inject({
    method: 'POST',
    url: `/api/campaigns/${campaignId}/slots`,
    headers: admin.headers,
    remoteAddress: '10.20.0.200',
    payload: { slots: [{ startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 1800_000).toISOString(), channel: 'onsite', place: 'Agence de Jarry' }] },
  });
  if (slots.statusCode !== 201) throw new Error(`slots: ${slots.statusCode} ${slots.body}`);
  return slots.json().items[0].id as string;
}

/** Sends an event with acknowledgement and returns the server's answer. */
export function ask<R>(emit: (ack: (r: R) => void) => void, timeoutMs = 10_000): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ack timeout')), timeoutMs);
    emit((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}

/** Every textual form a number may leak in: E.164, national, spaced, digits only. */
export function numberForms(e164: string): string[] {
  const national = '0' + e164.slice(4);
  const digits = e164.slice(1);
  const spaced = national.replace(/(\d{2})(?=\d)/g, '$1 ');
  return [e164, digits, national, spaced, national.replace(/(\d{2})(?=\d)/g, '$1.'), e164.slice(4)];
}

/** Extra trainees at the fixture's site (same password as the fixture users). */
export async function addTrainees(app: App, fx: Fixture, count: number, prefix = 'sim'): Promise<{ id: string; username: string }[]> {
  const { hashPassword } = await import('../src/lib/passwords.ts');
  const { PASSWORD } = await import('./fixtures.ts');
  const hash = await hashPassword(PASSWORD);
  const rows = Array.from({ length: count }, (_, i) => ({
    username: `${prefix}${i}@test`,
    displayName: `Conseiller ${prefix} ${String(i).padStart(3, '0')}`,
    role: 'trainee' as const,
    siteId: fx.siteId,
    passwordHash: hash,
  }));
  return app.db.insertInto('users').values(rows).returning(['id', 'username']).execute();
}
