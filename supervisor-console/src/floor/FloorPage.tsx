import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { pauseReasons, type PauseReason } from '@passerelle/shared/agent-state';
import type { AckResult, AgentView, LiveAttempt, SupervisionSession, SupervisorAlert } from '@passerelle/shared/events';
import { ConfirmDialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { GroupFilter, SelectField } from '../components/SelectField.tsx';
import { beep } from './beep.ts';
import { attemptOf, phoneDown, sessionsByAttempt, type HelpRequest, type Thresholds } from './floorState.ts';
import { FloorRow, type RowAction } from './FloorRow.tsx';
import { ListenPanel } from './ListenPanel.tsx';
import { setFloorClock } from './LiveDuration.tsx';
import { loadThresholds, saveThresholds } from './thresholds.ts';
import { useFloorSocket } from './useFloorSocket.ts';
import { useListen } from './useListen.ts';

type Pending =
  | { kind: 'hangup'; agent: AgentView; attempt: LiveAttempt }
  | { kind: 'force_pause'; agent: AgentView }
  | { kind: 'force_logout'; agent: AgentView }
  | { kind: 'thresholds' };

const STATE_FILTERS = ['all', 'ready', 'call', 'wrap_up', 'paused', 'offline', 'alert'] as const;
const CALL = ['offered', 'dialing', 'ringing', 'in_call'];
const ALERT_CHECK_MS = 5000;
const NONE: readonly SupervisionSession[] = [];

/** Live floor: every trainee as a dense row, realtime over socket.io, with supervision actions. */
export function FloorPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const [sound, setSound] = useState(true);
  const soundRef = useRef(sound);
  soundRef.current = sound;
  const onHelp = useCallback(() => {
    if (soundRef.current) beep();
  }, []);
  const listen = useListen(api);
  const floor = useFloorSocket(api, onHelp, listen.ended);
  const [thresholds, setThresholds] = useState<Thresholds>(loadThresholds);
  // Campaign and group filters live in the URL (?campagne=…&groupe=…): a reload or a shared link keeps them.
  const [params, setParams] = useSearchParams();
  const campaignFilter = params.get('campagne') ?? '';
  const teamFilter = params.get('groupe') ?? '';
  const setFilter = (key: 'campagne' | 'groupe', value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const [stateFilter, setStateFilter] = useState<(typeof STATE_FILTERS)[number]>('all');
  const [search, setSearch] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [pauseReason, setPauseReason] = useState<PauseReason>('pause');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const { state } = floor;
  // Timers tick by themselves (LiveDuration); rows re-render for the alert checks every few seconds only.
  const [nowSec, setNowSec] = useState(() => Math.floor((Date.now() + state.clockOffsetMs) / 1000));
  useEffect(() => {
    const now = () => Date.now() + state.clockOffsetMs;
    setFloorClock(now);
    const tick = () => setNowSec(Math.floor(now() / 1000));
    tick();
    const timer = setInterval(tick, ALERT_CHECK_MS);
    return () => clearInterval(timer);
  }, [state.clockOffsetMs]);

  // The live call being listened to ended: release the subscriptions.
  useEffect(() => {
    if (listen.session && !state.attempts[listen.session.attemptId]) void listen.stop();
  }, [listen, state.attempts]);
  // After a reconnection the server has ended this page's sessions (socket lost): let them go.
  const listenId = listen.session?.sessionId;
  useEffect(() => {
    if (listenId && state.snapshotAt && !state.supervision[listenId]) listen.ended(listenId);
    // Only a new snapshot says so: a session just started may not have reached the state yet.
  }, [state.snapshotAt]);
  const listenersByAttempt = useMemo(() => sessionsByAttempt(state.supervision), [state.supervision]);
  const socketId = () => {
    const id = floor.socketId();
    if (!id) throw new Error(t('floor.connection.offline'));
    return id;
  };

  const helpByUser = state.help;
  const healthByUser = useMemo(() => {
    const map: Record<string, SupervisorAlert> = {};
    for (const a of floor.alerts) {
      if ((a.kind === 'heartbeat_lost' || a.kind === 'agent_disconnected') && !map[a.userId]) map[a.userId] = a;
    }
    return map;
  }, [floor.alerts]);

  const campaigns = useMemo(() => Object.values(state.campaigns).sort((a, b) => a.name.localeCompare(b.name)), [state.campaigns]);
  const teamMembers = useMemo(() => new Set(state.teams.find((g) => g.id === teamFilter)?.traineeIds ?? []), [state.teams, teamFilter]);
  const agents = useMemo(() => {
    const q = search.trim().toLocaleLowerCase('fr');
    return Object.values(state.agents)
      .filter((a) => !campaignFilter || a.campaignId === campaignFilter)
      .filter((a) => !teamFilter || teamMembers.has(a.userId))
      .filter((a) => !q || a.displayName.toLocaleLowerCase('fr').includes(q))
      .filter((a) => {
        switch (stateFilter) {
          case 'all':
            return true;
          case 'call':
            return CALL.includes(a.status);
          case 'alert':
            return Boolean(helpByUser[a.userId]) || Boolean(healthByUser[a.userId]) || phoneDown(a, state.health[a.userId]);
          default:
            return a.status === stateFilter;
        }
      })
      .sort((a, b) => Number(b.userId in helpByUser) - Number(a.userId in helpByUser) || a.displayName.localeCompare(b.displayName, 'fr'));
  }, [state.agents, state.health, campaignFilter, teamFilter, teamMembers, stateFilter, search, helpByUser, healthByUser]);

  const counts = useMemo(() => {
    const c = { online: 0, call: 0, ready: 0, paused: 0, phoneDown: 0 };
    for (const a of Object.values(state.agents)) {
      if (phoneDown(a, state.health[a.userId])) c.phoneDown++;
      if (a.status !== 'offline') c.online++;
      if (CALL.includes(a.status)) c.call++;
      if (a.status === 'ready') c.ready++;
      if (a.status === 'paused') c.paused++;
    }
    return c;
  }, [state.agents, state.health]);

  const openHelp = Object.values(state.help).filter((h) => h.status === 'open');

  const ackResult = (r: AckResult, done: string) => {
    if (r.ok) setNotice(done);
    else setError(new Error(r.message));
  };

  const onAction = useCallback(
    (action: RowAction, agent: AgentView, attempt: LiveAttempt | null, help: HelpRequest | null) => {
      setError(null);
      setNotice(null);
      switch (action) {
        case 'listen':
          if (attempt) Promise.resolve().then(() => listen.start(attempt.attemptId, agent.userId, socketId())).catch(setError);
          break;
        case 'stop_listen':
          void listen.stop();
          break;
        case 'hangup':
          if (attempt) setPending({ kind: 'hangup', agent, attempt });
          break;
        case 'force_pause':
          setPending({ kind: 'force_pause', agent });
          break;
        case 'force_logout':
          setPending({ kind: 'force_logout', agent });
          break;
        case 'ack_help':
          if (help) floor.acknowledgeHelp(help.userId).then(() => setNotice(t('floor.help.acknowledgedNotice', { name: agent.displayName })), setError);
          break;
        case 'close_help':
          if (help) floor.closeHelp(help.userId).catch(setError);
          break;
      }
    },
    [listen.start, listen.stop, floor.acknowledgeHelp, floor.closeHelp, floor.socketId, t],
  );

  async function confirm() {
    const p = pending;
    if (!p) return;
    setPending(null);
    try {
      if (p.kind === 'hangup') {
        if (listen.session?.attemptId === p.attempt.attemptId) await listen.stop();
        await api.post(`/api/supervision/calls/${p.attempt.attemptId}/hangup`);
        setNotice(t('floor.hangupDone', { name: p.agent.displayName }));
      } else if (p.kind === 'force_pause') {
        ackResult(await floor.forcePause(p.agent.userId, pauseReason), t('floor.pauseDone', { name: p.agent.displayName }));
      } else if (p.kind === 'force_logout') {
        ackResult(await floor.forceLogout(p.agent.userId), t('floor.logoutDone', { name: p.agent.displayName }));
      }
    } catch (err) {
      setError(err);
    }
  }

  const listenedAgent = listen.session ? state.agents[listen.session.userId] : undefined;

  return (
    <div className="page floor-page" data-events-applied={floor.applied} data-connection={floor.connection}>
      <PageHeader
        title={t('floor.title')}
        description={t('floor.description', { date: fmt.longDate(Date.now()) })}
        actions={
          <>
            <span className={`badge ${floor.connection === 'online' ? 'badge-success' : 'badge-warning'}`} role="status" data-testid="connection">
              {t(`floor.connection.${floor.connection}`)}
            </span>
            <button type="button" className="btn btn-sm" aria-pressed={sound} onClick={() => setSound((s) => !s)}>
              {sound ? t('floor.soundOn') : t('floor.soundOff')}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setPending({ kind: 'thresholds' })}>
              {t('floor.thresholds.open')}
            </button>
          </>
        }
      />
      {openHelp.length > 0 && (
        <div className="alert alert-error floor-help-banner" role="alert" data-testid="help-banner">
          <strong className="alert-title">{t('floor.help.banner', { count: openHelp.length })}</strong>
          <span>{openHelp.map((h) => h.displayName).join(', ')}</span>
        </div>
      )}
      <ErrorAlert error={error} />
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {floor.alerts.length > 0 && (
        <ul className="floor-events" aria-label={t('floor.events')}>
          {floor.alerts.slice(0, 5).map((a, i) => (
            <li key={`${a.at}-${a.userId}-${i}`} className="alert alert-warning">
              <span>
                {fmt.time(a.at)} · {state.agents[a.userId]?.displayName ?? '—'} · {t(`floor.health.${a.kind}`)}
              </span>
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => floor.dismissAlert(a)}>
                {t('floor.dismiss')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="floor-summary" aria-label={t('floor.summary')}>
        <span className="chip">{t('floor.count.online', { n: counts.online })}</span>
        <span className="chip">{t('floor.count.call', { n: counts.call })}</span>
        <span className="chip">{t('floor.count.ready', { n: counts.ready })}</span>
        <span className="chip">{t('floor.count.paused', { n: counts.paused })}</span>
        {counts.phoneDown > 0 && (
          <span className="chip chip-danger" role="alert" data-testid="phone-down">
            {t('floor.count.phoneDown', { n: counts.phoneDown })}
          </span>
        )}
        {campaigns.map((c) => (
          <span key={c.campaignId} className="chip" data-testid="campaign-counters">
            {c.name} : {t('floor.count.campaign', { attempted: c.attemptedToday, reached: c.reachedToday, remaining: c.remaining, appointments: c.appointments })}
          </span>
        ))}
      </div>
      {listen.session && (
        <ListenPanel
          session={listen.session}
          traineeName={listenedAgent?.displayName ?? ''}
          sinkId={listen.sinkId}
          onSink={(id) => void listen.chooseSink(id)}
          onStop={() => void listen.stop()}
          others={(listenersByAttempt[listen.session.attemptId] ?? NONE).filter((s) => s.sessionId !== listen.session!.sessionId && s.sessionId !== listen.session!.whisperSessionId)}
          onWhisper={(on) => {
            setError(null);
            Promise.resolve()
              .then(() => (on ? listen.startWhisper(socketId()) : listen.stopWhisper()))
              .catch(setError);
          }}
        />
      )}
      <div className="toolbar filters">
        <SelectField
          id="floor-campaign"
          label={t('floor.filter.campaign')}
          value={campaignFilter}
          onChange={(v) => setFilter('campagne', v)}
          emptyOption={t('floor.filter.allCampaigns')}
          options={campaigns.map((c) => ({ value: c.campaignId, label: c.name }))}
        />
        <GroupFilter id="floor-team" groups={state.teams} value={teamFilter} onChange={(v) => setFilter('groupe', v)} />
        <SelectField id="floor-state" label={t('floor.filter.state')} value={stateFilter} onChange={setStateFilter} options={STATE_FILTERS.map((s) => ({ value: s, label: t(`floor.filter.states.${s}`) }))} />
        <div className="field grow">
          <label htmlFor="floor-search">{t('floor.filter.search')}</label>
          <input id="floor-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </div>
      <section className="card">
        <div className="table-wrap">
          <table className="table floor-table" aria-busy={state.snapshotAt === null}>
            <caption className="visually-hidden">{t('floor.tableCaption')}</caption>
            <colgroup>
              {['name', 'state', 'timer', 'campaign', 'call', 'health', 'actions'].map((c) => (
                <col key={c} className={`c-${c}`} />
              ))}
            </colgroup>
            <thead>
              <tr>
                <th scope="col">{t('floor.col.trainee')}</th>
                <th scope="col">{t('floor.col.state')}</th>
                <th scope="col" className="num">
                  {t('floor.col.timer')}
                </th>
                <th scope="col">{t('floor.col.campaign')}</th>
                <th scope="col">{t('floor.col.call')}</th>
                <th scope="col">{t('floor.col.health')}</th>
                <th scope="col" className="actions">
                  {t('floor.col.actions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <FloorRow
                  key={a.userId}
                  agent={a}
                  attempt={attemptOf(state, a)}
                  campaignName={a.campaignId ? (state.campaigns[a.campaignId]?.name ?? null) : null}
                  help={helpByUser[a.userId] ?? null}
                  health={healthByUser[a.userId] ?? null}
                  device={state.health[a.userId] ?? null}
                  nowSec={nowSec}
                  thresholds={thresholds}
                  listening={listen.session?.userId === a.userId}
                  listeners={(a.attemptId && listenersByAttempt[a.attemptId]) || NONE}
                  onAction={onAction}
                />
              ))}
              {agents.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty-state">
                    {state.snapshotAt === null ? t('floor.loading') : t('floor.empty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      {pending?.kind === 'hangup' && (
        <ConfirmDialog
          title={t('floor.hangupTitle')}
          message={<p>{t('floor.hangupBody', { name: pending.agent.displayName })}</p>}
          confirmLabel={t('floor.action.hangup')}
          onConfirm={() => void confirm()}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'force_logout' && (
        <ConfirmDialog
          title={t('floor.logoutTitle')}
          message={<p>{t('floor.logoutBody', { name: pending.agent.displayName })}</p>}
          confirmLabel={t('floor.action.logout')}
          onConfirm={() => void confirm()}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'force_pause' && (
        <ConfirmDialog
          title={t('floor.pauseTitle')}
          message={
            <div className="stack">
              <p>{t('floor.pauseBody', { name: pending.agent.displayName })}</p>
              <SelectField id="pause-reason" label={t('floor.pauseReason')} value={pauseReason} onChange={setPauseReason} options={pauseReasons.map((r) => ({ value: r, label: t(`floor.pause.${r}`) }))} />
            </div>
          }
          confirmLabel={t('floor.action.pause')}
          onConfirm={() => void confirm()}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'thresholds' && (
        <ThresholdsDialog
          value={thresholds}
          onSave={(v) => {
            setThresholds(v);
            saveThresholds(v);
            setPending(null);
          }}
          onClose={() => setPending(null)}
        />
      )}
    </div>
  );
}

function ThresholdsDialog({ value, onSave, onClose }: { value: Thresholds; onSave: (t: Thresholds) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [call, setCall] = useState(String(Math.round(value.longCallSeconds / 60)));
  const [pause, setPause] = useState(String(Math.round(value.longPauseSeconds / 60)));
  return (
    <FormDialog
      title={t('floor.thresholds.title')}
      onClose={onClose}
      onSubmit={() => onSave({ longCallSeconds: Number(call) * 60, longPauseSeconds: Number(pause) * 60 })}
      submitLabel={t('common.save')}
      className="stack"
    >
      <p className="field-hint">{t('floor.thresholds.hint')}</p>
      <div className="field">
        <label htmlFor="th-call">{t('floor.thresholds.longCall')}</label>
        <input id="th-call" type="number" min={1} max={240} required value={call} onChange={(e) => setCall(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="th-pause">{t('floor.thresholds.longPause')}</label>
        <input id="th-pause" type="number" min={1} max={240} required value={pause} onChange={(e) => setPause(e.target.value)} />
      </div>
    </FormDialog>
  );
}
