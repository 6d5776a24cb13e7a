import { describe, expect, it } from 'vitest';
import { agentStatuses, OFFLINE, transition, transitions, type AgentEvent, type AgentState, type AgentStatus } from './agent-state.ts';

const s = (status: AgentStatus, reason: AgentState['reason'] = null, pendingPause: AgentState['pendingPause'] = null): AgentState => ({ status, reason, pendingPause });

function run(events: AgentEvent[], from: AgentState = OFFLINE): AgentState {
  return events.reduce((state, event) => {
    const r = transition(state, event);
    if (!r.ok) throw new Error(`${r.from} --${r.event}--> refused`);
    return r.state;
  }, from);
}

describe('agent state machine', () => {
  it('walks the nominal cycle', () => {
    const trail: AgentStatus[] = [];
    let st = OFFLINE;
    for (const e of ['login', 'ready', 'offer', 'dial', 'ringing', 'answered', 'call_ended', 'disposed'] as const) {
      const r = transition(st, { type: e } as AgentEvent);
      expect(r.ok).toBe(true);
      if (r.ok) st = r.state;
      trail.push(st.status);
    }
    expect(trail).toEqual(['paused', 'ready', 'offered', 'dialing', 'ringing', 'in_call', 'wrap_up', 'ready']);
  });

  const table: [AgentState, AgentEvent, AgentState | 'error'][] = [
    [s('offline'), { type: 'ready' }, 'error'],
    [s('offline'), { type: 'offer' }, 'error'],
    [s('paused', 'break'), { type: 'ready' }, s('ready')],
    [s('ready'), { type: 'pause', reason: 'training' }, s('paused', 'training')],
    [s('offered'), { type: 'pause', reason: 'break' }, s('paused', 'break')],
    [s('offered'), { type: 'offer_returned' }, s('ready')],
    [s('offered', null, 'break'), { type: 'offer_returned' }, s('paused', 'break')],
    [s('ready'), { type: 'dial' }, 'error'],
    [s('ready'), { type: 'answered' }, 'error'],
    [s('dialing'), { type: 'answered' }, s('in_call')],
    [s('dialing'), { type: 'call_ended' }, s('wrap_up')],
    [s('ringing'), { type: 'call_ended' }, s('wrap_up')],
    [s('in_call'), { type: 'ready' }, 'error'],
    [s('in_call'), { type: 'offer' }, 'error'],
    [s('in_call'), { type: 'force_pause', reason: 'pause' }, s('in_call', null, 'pause')],
    [s('wrap_up'), { type: 'pause', reason: 'break' }, s('wrap_up', null, 'break')],
    [s('wrap_up', null, 'pause'), { type: 'disposed' }, s('paused', 'pause')],
    [s('wrap_up'), { type: 'wrap_up_timeout' }, s('ready')],
    [s('wrap_up'), { type: 'ready' }, 'error'],
    [s('ready'), { type: 'disposed' }, 'error'],
    [s('ready'), { type: 'heartbeat_lost' }, s('paused', 'technical')],
    [s('in_call'), { type: 'heartbeat_lost' }, s('paused', 'technical')],
    [s('offline'), { type: 'heartbeat_lost' }, 'error'],
    [s('ringing'), { type: 'force_logout' }, s('offline')],
    [s('paused', 'pause'), { type: 'logout' }, s('offline')],
    [s('paused', 'pause'), { type: 'force_pause', reason: 'technical' }, s('paused', 'technical')],
  ];
  it.each(table)('%o --%o--> %o', (from, event, expected) => {
    const r = transition(from, event);
    if (expected === 'error') expect(r).toMatchObject({ ok: false, error: 'INVALID_TRANSITION', from: from.status, event: event.type });
    else expect(r).toEqual({ ok: true, state: expected });
  });

  it('has a rule for every event, from known statuses only', () => {
    for (const froms of Object.values(transitions)) for (const f of froms) expect(agentStatuses).toContain(f);
  });

  it('refuses exactly the moves absent from the table', () => {
    for (const [type, froms] of Object.entries(transitions)) {
      for (const status of agentStatuses) {
        const event = (type === 'pause' || type === 'force_pause' ? { type, reason: 'pause' } : { type }) as AgentEvent;
        expect(transition(s(status), event).ok).toBe(froms.includes(status));
      }
    }
  });

  it('a supervisor pause during a call lands after the disposition', () => {
    const st = run([{ type: 'login' }, { type: 'ready' }, { type: 'offer' }, { type: 'dial' }, { type: 'answered' }, { type: 'force_pause', reason: 'training' }]);
    expect(st.status).toBe('in_call');
    expect(run([{ type: 'call_ended' }, { type: 'disposed' }], st)).toEqual(s('paused', 'training'));
  });
});
