import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { useSession } from '@kit/session.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { assessmentApi, type PracticeCall, type ScenarioCard } from './api.ts';
import { PracticeLivePanel } from './PracticeLivePanel.tsx';
import { ScenarioCardView } from './ScenarioCardView.tsx';
import { TraineeSelect } from './TraineeSelect.tsx';

/**
 * Practice calls (mises en situation): scenario cards, a live call through the platform (the
 * trainer plays the customer from this browser), or a record written by hand; each is scored.
 */
export function PracticePage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const navigate = useNavigate();
  const [generation, setGeneration] = useState(0);
  const data = useApiQuery(`practice:${generation}`, async (c) => {
    const a = assessmentApi(c);
    const [scenarios, calls] = await Promise.all([a.scenarios(), a.practiceCalls()]);
    return { scenarios, calls };
  });
  const [traineeId, setTraineeId] = useState('');
  const [scenario, setScenario] = useState<ScenarioCard['id']>('appointment');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<PracticeCall | null>(null);
  const title = (id: string) => data.data?.scenarios.find((s) => s.id === id)?.title ?? id;

  async function act(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  }
  const call = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      setLive(await assessmentApi(api).startLivePractice({ traineeId, scenario, notes }));
      setNotes('');
      setGeneration((g) => g + 1);
    });
  };
  const record = () => {
    void act(async () => {
      await assessmentApi(api).createPracticeCall({ traineeId, scenario, notes });
      setNotes('');
      setGeneration((g) => g + 1);
    });
  };
  const evaluate = (practiceCallId: string) =>
    act(async () => {
      const created = await assessmentApi(api).create({ practiceCallId });
      navigate(`/evaluations/${created.id}`);
    });
  const end = (id: string) => act(async () => (await assessmentApi(api).updatePracticeCall(id, { endedAt: new Date().toISOString() }), setGeneration((g) => g + 1)));

  return (
    <div className="page">
      <PageHeader title={t('assessment.practice.title')} description={t('assessment.practice.description')} />
      <div className="scenario-grid">
        {data.data?.scenarios.map((s) => (
          <ScenarioCardView key={s.id} card={s} className="card card-body" />
        ))}
      </div>
      {live && (
        <PracticeLivePanel
          key={live.id}
          call={live}
          scenario={data.data?.scenarios.find((s) => s.id === live.scenario)}
          onClose={() => {
            setLive(null);
            setGeneration((g) => g + 1);
          }}
        />
      )}
      <form className="toolbar" onSubmit={call}>
        <TraineeSelect value={traineeId} onChange={setTraineeId} />
        <div className="field">
          <label htmlFor="pr-scenario">{t('assessment.practice.scenario')}</label>
          <select id="pr-scenario" value={scenario} onChange={(e) => setScenario(e.target.value as ScenarioCard['id'])}>
            {data.data?.scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pr-notes">{t('assessment.practice.notes')}</label>
          <input id="pr-notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit" className="btn btn-primary" disabled={!traineeId || live !== null}>
            ✆ {t('assessment.practice.call')}
          </button>
        </div>
        <div className="field">
          <button type="button" className="btn" disabled={!traineeId} onClick={record}>
            {t('assessment.practice.start')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error ?? data.error} />
      <div className="card">
        <DataTable
          caption={t('assessment.practice.title')}
          columns={[t('assessment.col.date'), t('assessment.col.trainee'), t('assessment.practice.scenario'), t('assessment.practice.notes')]}
          actions
          items={data.data?.calls}
          empty={t('assessment.practice.empty')}
          row={(p) => (
            <tr key={p.id}>
              <td>
                {fmt.dateTime(p.startedAt)}
                {p.endedAt ? ` → ${fmt.time(p.endedAt)}` : ''}
              </td>
              <td>{p.traineeName}</td>
              <td>
                {title(p.scenario)}
                {p.status !== 'recorded' && <span className="badge badge-info">{t(`assessment.practice.status.${p.status}`)}</span>}
              </td>
              <td>{p.notes}</td>
              <td className="actions">
                {!p.endedAt && p.status === 'recorded' && (
                  <button type="button" className="btn btn-sm" onClick={() => void end(p.id)}>
                    {t('assessment.practice.end')}
                  </button>
                )}{' '}
                <button type="button" className="btn btn-sm btn-primary" onClick={() => void evaluate(p.id)}>
                  {t('assessment.practice.evaluate')}
                </button>
              </td>
            </tr>
          )}
        />
      </div>
    </div>
  );
}
