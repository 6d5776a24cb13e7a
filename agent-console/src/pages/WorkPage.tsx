import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAgent } from '../agent/AgentContext.tsx';
import { farEndOf } from '../agent/live.ts';
import { useFormat } from '../kit/format.ts';
import { useCurrentSession } from '../kit/session.tsx';
import { CallPanel } from '../features/call/CallPanel.tsx';
import { ContactCard } from '../features/call/ContactCard.tsx';
import { ScriptSteps } from '../features/call/ScriptSteps.tsx';
import { DispositionForm } from '../features/disposition/DispositionForm.tsx';
import { ShortcutLegend, useShortcuts } from '../features/shortcuts.tsx';

/** The working screen: waiting for a call, then the offer / call / wrap-up of the attempt in hand. */
export function WorkPage() {
  const { t } = useTranslation();
  const { live, actions, phone, serverNow, whisper } = useAgent();
  const { call, offer, progress } = live;
  const attemptId = call?.attemptId ?? null;
  const [ticks, setTicks] = useState<{ attemptId: string | null; done: Set<number> }>({ attemptId: null, done: new Set() });
  const [offeredAt, setOfferedAt] = useState<{ attemptId: string | null; at: number }>({ attemptId: null, at: 0 });
  const [dialError, setDialError] = useState<string | null>(null);
  const dialed = useRef<string | null>(null);

  if (attemptId && offeredAt.attemptId !== attemptId) setOfferedAt({ attemptId, at: Date.now() });
  const done = ticks.attemptId === attemptId ? ticks.done : new Set<number>();

  const dial = useCallback(() => {
    if (!offer || call?.status !== 'offered' || dialed.current === offer.attemptId) return;
    try {
      phone.call(offer.token);
      dialed.current = offer.attemptId;
      setDialError(null);
    } catch (err) {
      setDialError((err as Error).message);
    }
  }, [offer, call?.status, phone]);
  const sipLive = ['calling', 'ringing', 'in_call'].includes(phone.state.call.status);
  // A call up on the server that this page never placed: it was reloaded or reopened mid-call.
  const lineLost = phone.state.call.status === 'idle' && !!call && ['dialing', 'ringing', 'in_call'].includes(call.status);
  const [lostError, setLostError] = useState<string | null>(null);
  const hangup = useCallback(() => {
    if (!lineLost || !attemptId) return phone.hangup();
    void actions.hangupLostLine(attemptId).then((r) => setLostError(r.ok ? null : r.message));
  }, [phone, lineLost, attemptId, actions]);
  const mute = useCallback(() => phone.mute(!phone.state.call.muted), [phone]);
  useShortcuts({ call: dial, hangup: sipLive || lineLost ? hangup : undefined, mute: phone.state.call.status === 'in_call' ? mute : undefined });

  // Progressive mode: the console dials by itself at the end of the visible countdown.
  const autoDialAt = offer?.mode === 'progressive' && call?.status === 'offered' ? offeredAt.at + offer.countdownSeconds * 1000 : null;
  const lineReady = phone.state.health === 'ready';
  useEffect(() => {
    if (autoDialAt === null || !lineReady) return;
    const timer = window.setTimeout(dial, Math.max(0, autoDialAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [autoDialAt, lineReady, dial]);

  if (!live.view) {
    return (
      <p className="alert alert-info" role="status">
        {t('work.connecting')}
      </p>
    );
  }
  if (!call) return <Waiting />;

  const answeredAt =
    phone.state.call.answeredAt ??
    (progress?.event === 'answered' ? new Date(progress.at).getTime() - live.clockOffsetMs : call.status === 'in_call' && live.view.since ? new Date(live.view.since).getTime() - live.clockOffsetMs : null);

  return (
    <div className="work-grid">
      <div className="work-col">
        {offer ? <ContactCard offer={offer} /> : <p className="alert alert-warning">{t('work.noOfferDetails')}</p>}
      </div>
      <div className="work-col">
        {call.status === 'wrap_up' && (
          <DispositionForm
            key={call.attemptId}
            offer={offer}
            suggested={progress?.suggestedOutcome ?? null}
            wrapUpDeadline={call.wrapUpDeadline}
            serverNow={serverNow}
            onSubmit={(input) => actions.dispose(call.attemptId, input)}
          />
        )}
        {offer && call.status !== 'wrap_up' && (
          <ScriptSteps
            script={offer.script}
            ticked={done}
            onTick={(i, on) => {
              const next = new Set(done);
              if (on) next.add(i);
              else next.delete(i);
              setTicks({ attemptId, done: next });
            }}
          />
        )}
      </div>
      <div className="work-col">
        {call.status !== 'wrap_up' && (
          <CallPanel
            offer={offer}
            call={call}
            farEnd={farEndOf(call, progress)}
            phone={phone}
            answeredAt={call.status === 'in_call' ? answeredAt : null}
            autoDialAt={lineReady ? autoDialAt : null}
            onDial={dial}
            onHangup={hangup}
            lineLost={lineLost}
            onMute={mute}
            whisper={whisper}
            onSkip={async (reason) => {
              const r = await actions.skip(call.attemptId, reason);
              return r.ok ? null : r.message;
            }}
          />
        )}
        {lostError && (
          <p className="alert alert-error" role="alert">
            {lostError}
          </p>
        )}
        {dialError && (
          <p className="alert alert-error" role="alert">
            {dialError}
          </p>
        )}
        {call.status === 'wrap_up' && (
          <section className="card" aria-labelledby="ended-title">
            <div className="card-header">
              <h2 id="ended-title">{t('call.title')}</h2>
            </div>
            <p className="card-body far-end-line" role="status" data-testid="far-end">
              {t(`farEnd.${farEndOf(call, progress) ?? 'hung_up'}`)}
              {phone.state.error ? ` — ${phone.state.error}` : ''}
            </p>
          </section>
        )}
      </div>
    </div>
  );
}

/** No contact in hand: what to do next, the last result, the shortcuts. */
function Waiting() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useCurrentSession();
  const { live } = useAgent();
  const status = live.view?.status;
  return (
    <div className="home">
      <header className="page-head">
        <h1>{t('home.greeting', { name: user.displayName })}</h1>
        <p className="muted">{t('home.today', { date: fmt.longDate(Date.now()) })}</p>
      </header>
      <p className={`alert ${status === 'ready' ? 'alert-success' : 'alert-info'}`} role="status" data-testid="work-hint">
        {t(status === 'ready' ? 'work.waitingOffer' : 'work.pressReady')}
      </p>
      {live.closed && (
        <p className="alert alert-success" role="status">
          ✓ {t('work.closed', { outcome: t(`outcome.${live.closed.outcome}`, { defaultValue: live.closed.outcome }) })}
        </p>
      )}
      {live.withdrawn && (
        <p className="alert alert-warning" role="status">
          {t('work.withdrawn', { reason: t(`work.withdrawnReason.${live.withdrawn.reason}`, { defaultValue: live.withdrawn.reason }) })}
        </p>
      )}
      <div className="home-grid">
        <ShortcutLegend />
        <section className="card" aria-labelledby="home-progress">
          <div className="card-header">
            <h2 id="home-progress">{t('home.progress.title')}</h2>
          </div>
          <div className="card-body stack">
            <p>{t('home.progress.body')}</p>
            <p>
              <Link className="btn" to="/progression">
                {t('home.progress.open')}
              </Link>
            </p>
          </div>
        </section>
      </div>
    </div>
  );
}
