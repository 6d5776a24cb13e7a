import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useSession } from '@kit/session.tsx';
import { PhoneControls, useSoftphone, type SipCredentials } from '@kit/softphone/index.ts';
import { assessmentApi, type PracticeCall, type ScenarioCard } from './api.ts';
import { ScenarioCardView } from './ScenarioCardView.tsx';

const POLL_MS = 1000;
const LIVE = ['invited', 'accepted', 'calling', 'in_call'];

/**
 * The trainer's side of a live practice call: a softphone line for this browser (the trainee's
 * call rings here; answer as the customer), the scenario card with the customer's role and the
 * pitfalls to watch, the call's state from the server, then the recording and its scoring.
 */
export function PracticeLivePanel({ call, scenario, onClose }: { call: PracticeCall; scenario: ScenarioCard | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const navigate = useNavigate();
  const fetchCredentials = useCallback(() => api.post<SipCredentials>('/api/telephony/credentials'), [api]);
  const phone = useSoftphone(fetchCredentials, true, true);
  const [state, setState] = useState(call);
  const [error, setError] = useState<unknown>(null);
  const settled = !LIVE.includes(state.status) && state.recordingStatus !== 'processing' && (state.status !== 'ended' || state.recordingStatus !== null);

  useEffect(() => {
    if (settled) return;
    const timer = window.setInterval(() => void assessmentApi(api).practiceCall(call.id).then(setState, () => undefined), POLL_MS);
    return () => window.clearInterval(timer);
  }, [api, call.id, settled]);

  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  };
  const cancel = () => act(async () => setState(await assessmentApi(api).cancelPractice(call.id)));
  const evaluate = () =>
    act(async () => {
      const created = await assessmentApi(api).create({ practiceCallId: call.id });
      navigate(`/evaluations/${created.id}`);
    });

  return (
    <section className="card card-body practice-live" aria-labelledby="practice-live-title" data-testid="practice-live" data-status={state.status}>
      <h2 id="practice-live-title" className="h3">
        {t('assessment.practice.live.title', { name: call.traineeName })}
      </h2>
      <p className="muted">{t('assessment.practice.live.hint')}</p>
      <div className="practice-live-grid">
        <div>
          <p role="status" data-testid="practice-status">
            <strong>{t(`assessment.practice.status.${state.status}`)}</strong>
            {state.recordingStatus && <> · {t(`assessment.practice.live.recording.${state.recordingStatus}`)}</>}
          </p>
          <PhoneControls phone={phone} />
          <div className="btn-row">
            {['invited', 'accepted'].includes(state.status) && (
              <button type="button" className="btn" onClick={() => void cancel()}>
                {t('assessment.practice.live.cancel')}
              </button>
            )}
            {state.recordingStatus === 'stored' && (
              <button type="button" className="btn btn-primary" onClick={() => void evaluate()}>
                {t('assessment.practice.evaluate')}
              </button>
            )}
            {!LIVE.includes(state.status) && (
              <button type="button" className="btn" onClick={onClose}>
                {t('assessment.practice.live.close')}
              </button>
            )}
          </div>
          <ErrorAlert error={error} />
        </div>
        {scenario && <ScenarioCardView card={scenario} />}
      </div>
    </section>
  );
}
