import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { AgentView, FloorBatch, LiveAttempt } from '@passerelle/shared/events';
import { renderWithProviders } from '@kit/test-utils.tsx';
import { supervisorEn } from '../locales/en.ts';
import { supervisorFr } from '../locales/fr.ts';
import { applyEvents, DEFAULT_THRESHOLDS, emptyFloor, type AgentHealthView, type FloorEvent, type HelpRequest } from './floorState.ts';
import { FloorRow, type FloorRowProps } from './FloorRow.tsx';
import { setFloorClock } from './LiveDuration.tsx';

setFloorClock(() => NOW);

const NOW = Date.parse('2026-11-29T15:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const agent = (over: Partial<AgentView> = {}): AgentView => ({
  userId: 'u1',
  displayName: 'Conseiller 07',
  status: 'ready',
  reason: null,
  pendingPause: null,
  since: ago(75),
  attemptId: null,
  campaignId: null,
  ...over,
});
const attempt = (over: Partial<LiveAttempt> = {}): LiveAttempt => ({
  attemptId: 'a1',
  campaignId: 'c1',
  agentUserId: 'u1',
  status: 'in_call',
  offeredAt: ago(400),
  answeredAt: ago(125),
  ...over,
});

function row(props: Partial<FloorRowProps>) {
  const onAction = vi.fn();
  renderWithProviders(
    <table>
      <tbody>
        <FloorRow
          agent={agent()}
          attempt={null}
          campaignName={null}
          help={null}
          health={null}
          device={null}
          nowSec={NOW / 1000}
          thresholds={DEFAULT_THRESHOLDS}
          listening={false}
          listeners={[]}
          onAction={onAction}
          {...props}
        />
      </tbody>
    </table>,
    { messages: { fr: supervisorFr, en: supervisorEn } },
  );
  return { onAction, tr: document.querySelector('tr')! };
}

afterEach(cleanup);

describe('floor row', () => {
  it('shows the state with its timer, and no call actions when ready', () => {
    const { tr } = row({});
    expect(screen.getByTestId('state').textContent).toBe('Prêt');
    expect(screen.getByTestId('state-timer').textContent).toBe('01:15');
    expect(screen.queryByRole('button', { name: /Écouter/ })).toBeNull();
    expect(tr.className).not.toContain('floor-alert');
  });

  it('shows the call duration from the answer, the far end, and listen / hang up', () => {
    const a = attempt();
    const { onAction } = row({ agent: agent({ status: 'in_call', since: ago(125), attemptId: 'a1', campaignId: 'c1' }), attempt: a, campaignName: 'Relance RDV' });
    expect(screen.getByTestId('call-timer').textContent?.trim()).toBe('02:05');
    expect(screen.getByTestId('call').textContent).toContain('Client en ligne');
    expect(screen.getByText('Relance RDV')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Écouter l’appel de Conseiller 07' }));
    expect(onAction).toHaveBeenCalledWith('listen', expect.objectContaining({ userId: 'u1' }), a, null);
    fireEvent.click(screen.getByRole('button', { name: 'Raccrocher l’appel de Conseiller 07' }));
    expect(onAction).toHaveBeenLastCalledWith('hangup', expect.anything(), a, null);
  });

  it('flags a long call and a long pause past their thresholds', () => {
    const th = { longCallSeconds: 120, longPauseSeconds: 600 };
    const { tr } = row({ agent: agent({ status: 'in_call', attemptId: 'a1' }), attempt: attempt(), thresholds: th });
    expect(tr.className).toContain('floor-alert-long_call');
    expect(screen.getByText('Appel long')).toBeTruthy();
    cleanup();
    const paused = row({ agent: agent({ status: 'paused', reason: 'break', since: ago(601) }), thresholds: th });
    expect(paused.tr.className).toContain('floor-alert-long_pause');
    expect(screen.getByTestId('state').textContent).toBe('En pause · Repas');
    cleanup();
    const shortPause = row({ agent: agent({ status: 'paused', reason: 'pause', since: ago(599) }), thresholds: th });
    expect(shortPause.tr.className).not.toContain('floor-alert');
  });

  it('puts a help request first, with an acknowledge button', () => {
    const help: HelpRequest = { userId: 'u1', displayName: 'Conseiller 07', siteId: null, at: ago(5), status: 'open', acknowledgedBy: null };
    const { tr, onAction } = row({ help, agent: agent({ status: 'in_call', attemptId: 'a1' }), attempt: attempt(), thresholds: { longCallSeconds: 60, longPauseSeconds: 60 } });
    expect(tr.className).toContain('floor-alert-help');
    expect(screen.getByTestId('help-badge').textContent).toContain('Aide demandée');
    fireEvent.click(screen.getByRole('button', { name: 'Je m’en occupe' }));
    expect(onAction).toHaveBeenCalledWith('ack_help', expect.anything(), expect.anything(), help);
    cleanup();
    const taken = row({ help: { ...help, status: 'acknowledged', acknowledgedBy: 'Formatrice B.' } });
    expect(taken.tr.className).not.toContain('floor-alert-help');
    expect(screen.getByTestId('help-badge').textContent).toContain('Pris en charge par Formatrice B.');
    fireEvent.click(screen.getByRole('button', { name: 'Clore' }));
    expect(taken.onAction).toHaveBeenCalledWith('close_help', expect.anything(), null, expect.objectContaining({ status: 'acknowledged' }));
  });

  it('shows phone, microphone and call audio health with French tooltips', () => {
    const device: AgentHealthView = { userId: 'u1', at: ago(3), sip: 'registered', mic: 'muted', call: { packetLossPct: 7, jitterMs: 20, rttMs: 45, micLevel: 0.2 } };
    const { tr } = row({ agent: agent({ status: 'in_call', attemptId: 'a1' }), attempt: attempt(), device });
    const sip = screen.getByTestId('health-sip');
    expect(sip.getAttribute('title')).toBe('Téléphone enregistré');
    expect(sip.dataset.tone).toBe('ok');
    expect(screen.getByRole('img', { name: 'Micro muet' }).dataset.tone).toBe('bad');
    const call = screen.getByTestId('health-call');
    expect(call.getAttribute('title')).toMatch(/^Son de l’appel dégradé · Perte de paquets 7\s%/);
    expect(call.dataset.tone).toBe('bad');
    expect(tr.className).not.toContain('floor-alert');
  });

  it('alerts when a Ready trainee’s phone is not registered, and shows an unknown health as such', () => {
    const device: AgentHealthView = { userId: 'u1', at: ago(3), sip: 'failed', mic: 'missing', call: null };
    const { tr } = row({ device });
    expect(tr.className).toContain('floor-alert-phone');
    expect(screen.getByTestId('phone-alert').textContent).toBe('Téléphone non enregistré');
    expect(screen.getByRole('img', { name: 'Micro absent ou refusé' })).toBeTruthy();
    expect(screen.queryByTestId('health-call')).toBeNull();
    cleanup();
    // Paused: nothing will be offered, so no alert (the icon still says it).
    const paused = row({ agent: agent({ status: 'paused', reason: 'pause' }), device });
    expect(paused.tr.className).not.toContain('floor-alert');
    expect(screen.getByTestId('health-sip').dataset.tone).toBe('bad');
    cleanup();
    const unknown = row({ device: null });
    expect(unknown.tr.className).not.toContain('floor-alert');
    expect(screen.getByTestId('health-sip').getAttribute('title')).toMatch(/état inconnu/);
  });

  it('names every trainer on the call, whisper included', () => {
    row({
      agent: agent({ status: 'in_call', attemptId: 'a1' }),
      attempt: attempt(),
      listeners: [
        { sessionId: 's1', attemptId: 'a1', agentUserId: 'u1', kind: 'listen', supervisorUserId: 't1', supervisorName: 'Formatrice 01', startedAt: ago(133) },
        { sessionId: 's2', attemptId: 'a1', agentUserId: 'u1', kind: 'whisper', supervisorUserId: 't2', supervisorName: 'Formateur 02', startedAt: ago(20) },
      ],
    });
    expect(screen.getByTestId('row-listeners').textContent).toBe('À l’écoute : Formatrice 01, Formateur 02 (chuchote)');
  });

  it('renders in English', () => {
    const onAction = vi.fn();
    renderWithProviders(
      <table>
        <tbody>
          <FloorRow agent={agent({ status: 'wrap_up' })} attempt={null} campaignName={null} help={null} health={null} device={null} nowSec={NOW / 1000} thresholds={DEFAULT_THRESHOLDS} listening={false} listeners={[]} onAction={onAction} />
        </tbody>
      </table>,
      { language: 'en', messages: { fr: supervisorFr, en: supervisorEn } },
    );
    expect(screen.getByTestId('state').textContent).toBe('Wrap-up');
  });
});

describe('floor state', () => {
  const snapshot = (agents: AgentView[]) => ({ serverTime: new Date(NOW).toISOString(), agents, attempts: [], campaigns: [], health: [], teams: [], supervision: [] });

  it('replaces everything with a snapshot and keeps untouched rows identical', () => {
    let s = applyEvents(emptyFloor, [{ type: 'snapshot', snapshot: snapshot([agent(), agent({ userId: 'u2', displayName: 'Conseiller 08' })]), receivedAt: NOW - 2000 }]);
    expect(Object.keys(s.agents)).toEqual(['u1', 'u2']);
    expect(s.clockOffsetMs).toBe(2000);
    const u2 = s.agents.u2;
    const batch = (b: Partial<FloorBatch>): FloorEvent => ({ type: 'batch', batch: { agents: [], attempts: [], closed: [], campaigns: [], ...b } });
    s = applyEvents(s, [
      batch({ agents: [agent({ status: 'offered' })], attempts: [attempt({ status: 'offered', answeredAt: null })] }),
      batch({ agents: [agent({ status: 'dialing', attemptId: 'a1' })] }),
    ]);
    expect(s.agents.u1!.status).toBe('dialing');
    expect(s.agents.u2).toBe(u2);
    expect(s.attempts.a1!.status).toBe('offered');
    const campaigns = s.campaigns;
    s = applyEvents(s, [batch({ closed: [{ attemptId: 'a1', campaignId: 'c1', outcome: 'no_answer' }, { attemptId: 'unknown', campaignId: 'c1', outcome: 'busy' }] })]);
    expect(s.attempts).toEqual({});
    expect(s.campaigns).toBe(campaigns);
    const counters = { campaignId: 'c1', name: 'C', status: 'running', remaining: 9, attemptedToday: 1, reachedToday: 0, contactRate: 0, appointments: 0 };
    s = applyEvents(s, [batch({ campaigns: [counters] })]);
    expect(s.campaigns.c1).toEqual(counters);
    // A reconnect's snapshot drops a trainee that is gone.
    s = applyEvents(s, [{ type: 'snapshot', snapshot: snapshot([agent()]), receivedAt: NOW }]);
    expect(Object.keys(s.agents)).toEqual(['u1']);
  });

  it('keeps the latest health per trainee, and forgets it when the console stops reporting', () => {
    const h: AgentHealthView = { userId: 'u1', at: ago(1), sip: 'registered', mic: 'ok', call: null };
    let s = applyEvents(emptyFloor, [{ type: 'snapshot', snapshot: { ...snapshot([agent()]), health: [h] }, receivedAt: NOW }]);
    expect(s.health.u1).toEqual(h);
    s = applyEvents(s, [{ type: 'health', userId: 'u1', health: { ...h, sip: 'failed' } }]);
    expect(s.health.u1!.sip).toBe('failed');
    const before = s;
    expect(applyEvents(s, [{ type: 'health', userId: 'u2', health: null }])).toEqual(before);
    s = applyEvents(s, [{ type: 'health', userId: 'u1', health: null }]);
    expect(s.health).toEqual({});
  });

  it('follows supervision sessions: started, ended, replaced by a snapshot', () => {
    const session = { sessionId: 's1', attemptId: 'a1', agentUserId: 'u1', kind: 'listen' as const, supervisorUserId: 't1', supervisorName: 'Formatrice 01', startedAt: ago(10) };
    let s = applyEvents(emptyFloor, [{ type: 'snapshot', snapshot: { ...snapshot([agent()]), supervision: [session] }, receivedAt: NOW }]);
    expect(Object.keys(s.supervision)).toEqual(['s1']);
    const agents = s.agents;
    s = applyEvents(s, [{ type: 'supervision', session: { ...session, sessionId: 's2', supervisorName: 'Formateur 02' } }]);
    expect(Object.keys(s.supervision)).toEqual(['s1', 's2']);
    expect(s.agents).toBe(agents);
    s = applyEvents(s, [{ type: 'supervision:ended', sessionId: 's1' }]);
    expect(Object.keys(s.supervision)).toEqual(['s2']);
    s = applyEvents(s, [{ type: 'snapshot', snapshot: snapshot([agent()]), receivedAt: NOW }]);
    expect(s.supervision).toEqual({});
  });
});
