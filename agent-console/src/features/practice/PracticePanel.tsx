import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PracticeInvitation } from '@passerelle/shared/events';
import { ErrorAlert } from '../../kit/ErrorAlert.tsx';
import { PhoneControls } from '../../kit/softphone/index.ts';
import { useCurrentSession } from '../../kit/session.tsx';
import { useAgent } from '../../agent/AgentContext.tsx';

/**
 * A trainer's invitation to a practice call (mise en situation): the scenario as the trainee may
 * see it, accept or decline; once accepted the softphone dials the practice token (the trainer's
 * browser answers as the customer) and the line controls stay beside the scenario.
 */
export function PracticePanel() {
  const { t } = useTranslation();
  const { api } = useCurrentSession();
  const { phone, practice, setPractice } = useAgent();
  const [active, setActive] = useState<PracticeInvitation | null>(null);
  const [error, setError] = useState<unknown>(null);

  // After a reload: the server still has the invitation.
  useEffect(() => {
    void api.get<{ invitation: PracticeInvitation | null }>('/api/me/practice').then(
      (r) => setPractice(r.invitation),
      () => undefined,
    );
  }, [api, setPractice]);

  const shown = active ?? practice;
  if (!shown) return null;
  const status = phone.state.call.status;

  const accept = async () => {
    setError(null);
    try {
      const { token } = await api.post<{ token: string }>(`/api/me/practice/${shown.practiceCallId}/accept`);
      setActive(shown);
      setPractice(null);
      phone.call(token);
    } catch (err) {
      setError(err);
    }
  };
  const decline = async () => {
    setError(null);
    try {
      await api.post(`/api/me/practice/${shown.practiceCallId}/decline`);
      setPractice(null);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="card card-body practice-panel" aria-labelledby="practice-title" data-testid="practice-panel">
      <h2 id="practice-title" className="h3">
        {t('practice.title', { title: shown.scenario.title })}
      </h2>
      <p className="muted">{t('practice.by', { name: shown.trainerName })}</p>
      <p>{shown.scenario.context}</p>
      <strong className="small">{t('practice.objectives')}</strong>
      <ul>
        {shown.scenario.objectives.map((o) => (
          <li key={o}>{o}</li>
        ))}
      </ul>
      {active ? (
        <>
          <PhoneControls phone={phone} />
          {status === 'ended' && (
            <button type="button" className="btn" onClick={() => setActive(null)}>
              {t('practice.close')}
            </button>
          )}
        </>
      ) : (
        <div className="btn-row">
          <button type="button" className="btn btn-primary" disabled={phone.state.health !== 'ready'} onClick={() => void accept()}>
            {t('practice.accept')}
          </button>
          <button type="button" className="btn" onClick={() => void decline()}>
            {t('practice.decline')}
          </button>
        </div>
      )}
      <ErrorAlert error={error} />
    </section>
  );
}
