import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  campaignStatusTransitions,
  dialingModes,
  dispositionsByType,
  settingsErrors,
  type CampaignEngine,
  type CampaignStatus,
  type DialerSettings,
} from '@passerelle/shared/api/campaign-engine';
import type { CampaignSummary } from '@passerelle/shared/api/campaigns';
import { retryOutcomes } from '@passerelle/shared/calling-rules';
import type { MaskingPolicy } from '@passerelle/shared/masking';
import { ConfirmDialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { DailyChart } from '../../campaigns/DailyChart.tsx';
import { CampaignStatusBadge } from '../../campaigns/CampaignStatusBadge.tsx';
import { MaskingEditor, MaskingPreview } from '../../campaigns/MaskingPreview.tsx';
import { OutcomeChips } from '../../campaigns/OutcomeChips.tsx';
import { ScriptEditor } from '../../campaigns/ScriptEditor.tsx';
import { WindowsEditor } from '../../campaigns/WindowsEditor.tsx';
import { ImportsTable } from '../../components/ImportsTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RegionField, SelectField } from '../../components/SelectField.tsx';
import { useFloorSocket } from '../../floor/useFloorSocket.ts';

type Tab = 'follow' | 'settings' | 'script' | 'masking' | 'trainees';
const TABS: Tab[] = ['follow', 'settings', 'script', 'masking', 'trainees'];

/** One campaign: live follow-up, dialing settings, script, masking policy, assigned trainees. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { api } = useSession();
  const campaign = useApiQuery(`campaign:${id}`, (a) => campaignsApi(a).get(id));
  const engine = useApiQuery(`dialing:${id}`, (a) => campaignsApi(a).dialing(id));
  const [tab, setTab] = useState<Tab>('follow');
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<CampaignStatus | null>(null);

  async function transition(to: CampaignStatus) {
    setConfirming(null);
    setError(null);
    try {
      await campaignsApi(api).transition(id, to);
      engine.reload();
      campaign.reload();
    } catch (err) {
      setError(err);
    }
  }

  const c = campaign.data;
  const e = engine.data;
  return (
    <div className="page">
      <PageHeader
        title={c?.name ?? t('campaign.listTitle')}
        description={c ? `${t(`campaigns.type.${c.type}`)} · ${t(`campaign.regions.${c.defaultRegion}`, { defaultValue: c.defaultRegion })}` : undefined}
        actions={
          e && (
            <>
              <CampaignStatusBadge status={e.status} testId="campaign-status" />
              {campaignStatusTransitions[e.status].map((to) => (
                <button key={to} type="button" className={`btn btn-sm ${to === 'running' ? 'btn-primary' : ''}`} onClick={() => (to === 'finished' || to === 'archived' ? setConfirming(to) : void transition(to))}>
                  {t(`campaign.to.${to}`)}
                </button>
              ))}
            </>
          )
        }
      />
      <p>
        <Link to="/campagnes">← {t('campaign.back')}</Link>
      </p>
      <ErrorAlert error={error ?? campaign.error ?? engine.error} />
      <div className="tabs" role="tablist">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>
            {t(`campaign.tab.${k}`)}
          </button>
        ))}
      </div>
      {c && e && tab === 'follow' && <FollowTab campaign={c} />}
      {c && e && tab !== 'follow' && tab !== 'trainees' && (
        <SettingsForm
          key={`${e.status}-${tab}`}
          tab={tab}
          campaign={c}
          engine={e}
          onSaved={() => {
            engine.reload();
            campaign.reload();
          }}
        />
      )}
      {c && e && tab === 'trainees' && <TraineesTab engine={e} onSaved={engine.reload} />}
      {confirming && (
        <ConfirmDialog
          title={t(`campaign.to.${confirming}`)}
          message={<p>{t(`campaign.confirm.${confirming}`)}</p>}
          confirmLabel={t(`campaign.to.${confirming}`)}
          onConfirm={() => void transition(confirming)}
          onClose={() => setConfirming(null)}
        />
      )}
    </div>
  );
}

function FollowTab({ campaign }: { campaign: CampaignSummary }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const floor = useFloorSocket(api);
  const counters = floor.state.campaigns[campaign.id];
  const imports = useApiQuery(`imports:${campaign.id}`, (a) => campaignsApi(a).imports(campaign.id));
  const daily = useApiQuery(`daily:${campaign.id}`, (a) => campaignsApi(a).daily(campaign.id));
  const stats = useMemo(() => (daily.data?.days ?? []).map((d) => ({ day: d.day, attempted: d.attempts, reached: d.reached })), [daily.data]);
  const outcomes = useMemo(() => {
    const total = new Map<string, number>();
    for (const d of daily.data?.days ?? []) for (const [o, n] of Object.entries(d.outcomes)) total.set(o, (total.get(o) ?? 0) + n);
    return [...total].sort((a, b) => b[1] - a[1]);
  }, [daily.data]);
  const kpis: [string, number | string][] = counters
    ? [
        ['remaining', counters.remaining],
        ['attemptedToday', counters.attemptedToday],
        ['reachedToday', counters.reachedToday],
        ['contactRate', `${Math.round(counters.contactRate * 100)} %`],
        ['appointments', counters.appointments],
      ]
    : [];
  return (
    <div className="stack">
      <section className="card card-body stack">
        <h2 className="h3">{t('campaign.live')}</h2>
        {counters ? (
          <div className="kpis" data-testid="live-counters">
            {kpis.map(([k, v]) => (
              <div className="kpi" key={k}>
                <span className="kpi-value">{typeof v === 'number' ? fmt.number(v) : v}</span>
                <span className="kpi-label">{t(`campaign.kpi.${k}`)}</span>
              </div>
            ))}
          </div>
        ) : (
          <p className="muted">{t('campaign.noLive')}</p>
        )}
      </section>
      <section className="card card-body stack">
        <h2 className="h3">{t('campaign.chart.title')}</h2>
        <ErrorAlert error={daily.error} onRetry={daily.reload} />
        {daily.data && <DailyChart stats={stats} series="attempts" />}
        <OutcomeChips outcomes={outcomes} label={t('campaign.outcomes14')} />
      </section>
      <section className="card stack">
        <h2 className="h3 card-body">{t('imports.title')}</h2>
        <ErrorAlert error={imports.error} onRetry={imports.reload} />
        <ImportsTable items={imports.data?.items ?? []} />
      </section>
    </div>
  );
}

type Draft = DialerSettings & { name: string; defaultRegion: string; retentionDays: number; maskingPolicy: MaskingPolicy };

function SettingsForm({ tab, campaign, engine, onSaved }: { tab: Tab; campaign: CampaignSummary; engine: CampaignEngine; onSaved: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const { status: _s, traineeIds: _t, id: _i, partnerId: _p, name: _n, type: _y, endedAt: _e, ...settings } = engine;
  const [draft, setDraft] = useState<Draft>({ ...settings, name: campaign.name, defaultRegion: campaign.defaultRegion, retentionDays: campaign.retentionDays, maskingPolicy: campaign.maskingPolicy });
  const [initial] = useState(() => ({
    shell: { name: campaign.name, defaultRegion: campaign.defaultRegion, retentionDays: campaign.retentionDays, maskingPolicy: campaign.maskingPolicy },
    dialing: settings as DialerSettings,
  }));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const { name, defaultRegion, retentionDays, maskingPolicy, ...dialing } = draft;
  const problems = settingsErrors(campaign.type, dialing);
  const imports = useApiQuery(`imports:${campaign.id}`, (a) => campaignsApi(a).imports(campaign.id));
  const extraColumns = [...new Set((imports.data?.items ?? []).flatMap((i) => (i.mapping?.extra ?? []).map((x) => x.name)))];

  async function save() {
    setBusy(true);
    setError(null);
    try {
      // Only what changed: dialing settings of a running campaign are locked, its masking is not.
      const shell = { name, defaultRegion, retentionDays, maskingPolicy };
      if (JSON.stringify(shell) !== JSON.stringify(initial.shell)) await campaignsApi(api).update(campaign.id, shell);
      if (JSON.stringify(dialing) !== JSON.stringify(initial.dialing)) await campaignsApi(api).updateDialing(campaign.id, dialing);
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const num = (k: 'wrapUpSeconds' | 'offerTtlSeconds' | 'countdownSeconds', min: number, max: number) => (
    <div className="field">
      <label htmlFor={`s-${k}`}>{t(`campaign.field.${k}`)}</label>
      <input id={`s-${k}`} type="number" min={min} max={max} value={draft[k]} onChange={(e) => set(k, Number(e.target.value))} />
    </div>
  );

  return (
    <section className="card card-body stack">
      <ErrorAlert error={error} />
      {saved && (
        <p className="alert alert-success" role="status">
          {t('campaign.saved')}
        </p>
      )}
      {tab === 'settings' && (
        <>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="s-name">{t('campaigns.col.name')}</label>
              <input id="s-name" value={name} onChange={(e) => set('name', e.target.value)} />
            </div>
            <RegionField id="s-region" label={t('campaign.region')} value={defaultRegion} onChange={(v) => set('defaultRegion', v)} />
            <SelectField
              id="s-mode"
              label={t('campaign.field.dialingMode')}
              value={draft.dialingMode}
              onChange={(v) => set('dialingMode', v)}
              options={dialingModes.map((m) => ({ value: m, label: t(`campaign.mode.${m}`) }))}
            />
            <div className="field">
              <label htmlFor="s-caller">{t('campaign.field.callerId')}</label>
              <input id="s-caller" placeholder="+590947500000" value={draft.callerId ?? ''} onChange={(e) => set('callerId', e.target.value.trim() || null)} />
            </div>
            <div className="field">
              <label htmlFor="s-start">{t('campaign.field.startsOn')}</label>
              <input id="s-start" type="date" value={draft.startsOn ?? ''} onChange={(e) => set('startsOn', e.target.value || null)} />
            </div>
            <div className="field">
              <label htmlFor="s-end">{t('campaign.field.endsOn')}</label>
              <input id="s-end" type="date" value={draft.endsOn ?? ''} onChange={(e) => set('endsOn', e.target.value || null)} />
            </div>
            <div className="field">
              <label htmlFor="s-lang">{t('campaign.field.requiredLanguage')}</label>
              <input id="s-lang" placeholder="fr, gcf, en…" value={draft.requiredLanguage ?? ''} onChange={(e) => set('requiredLanguage', e.target.value.trim() || null)} />
            </div>
            <div className="field">
              <label htmlFor="s-retention">{t('campaign.field.retentionDays')}</label>
              <input id="s-retention" type="number" min={1} max={3650} value={retentionDays} onChange={(e) => set('retentionDays', Number(e.target.value))} />
            </div>
            {num('wrapUpSeconds', 10, 1800)}
            {num('offerTtlSeconds', 15, 600)}
            {num('countdownSeconds', 2, 60)}
          </div>
          <h3 className="h3">{t('campaign.windows.title')}</h3>
          <WindowsEditor type={campaign.type} windows={draft.windows} onChange={(w) => set('windows', w)} />
          <h3 className="h3">{t('campaign.retry.title')}</h3>
          <div className="form-grid">
            {retryOutcomes.map((o) => (
              <div className="field" key={o}>
                <label htmlFor={`r-${o}`}>{t('campaign.retry.delay', { outcome: t(`outcome.${o}`) })}</label>
                <input
                  id={`r-${o}`}
                  type="number"
                  min={1}
                  value={draft.retryRules.delayMinutes[o]}
                  onChange={(e) => set('retryRules', { ...draft.retryRules, delayMinutes: { ...draft.retryRules.delayMinutes, [o]: Number(e.target.value) } })}
                />
              </div>
            ))}
            <div className="field">
              <label htmlFor="r-max">{t('campaign.retry.maxAttempts')}</label>
              <input id="r-max" type="number" min={1} max={20} value={draft.retryRules.maxAttempts} onChange={(e) => set('retryRules', { ...draft.retryRules, maxAttempts: Number(e.target.value) })} />
            </div>
          </div>
          <h3 className="h3">{t('campaign.dispositions')}</h3>
          <div className="chips">
            {dispositionsByType[campaign.type].map((d) => (
              <label key={d} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.dispositions.includes(d)}
                  onChange={(e) => set('dispositions', e.target.checked ? [...draft.dispositions, d] : draft.dispositions.filter((x) => x !== d))}
                />{' '}
                {t(`outcome.${d}`)}
              </label>
            ))}
          </div>
        </>
      )}
      {tab === 'script' && <ScriptEditor script={draft.script} onChange={(s) => set('script', s)} />}
      {tab === 'masking' && (
        <div className="campaign-form">
          <MaskingEditor policy={maskingPolicy} onChange={(p) => set('maskingPolicy', p)} extraColumns={extraColumns} />
          <MaskingPreview policy={maskingPolicy} />
        </div>
      )}
      {problems.length > 0 && (
        <ul className="alert alert-warning" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={busy || problems.length > 0} onClick={() => void save()}>
          {t('common.save')}
        </button>
      </div>
    </section>
  );
}

function TraineesTab({ engine, onSaved }: { engine: CampaignEngine; onSaved: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const trainees = useApiQuery('trainees', (a) => campaignsApi(a).trainees());
  const [selected, setSelected] = useState<string[]>(engine.traineeIds);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSelected(engine.traineeIds), [engine.traineeIds]);
  async function save() {
    setError(null);
    try {
      await campaignsApi(api).assignTrainees(engine.id, selected);
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card card-body stack">
      <ErrorAlert error={error ?? trainees.error} />
      {saved && (
        <p className="alert alert-success" role="status">
          {t('campaign.saved')}
        </p>
      )}
      {engine.requiredLanguage && <p className="alert alert-info">{t('campaign.languageRequired', { lang: engine.requiredLanguage })}</p>}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('campaign.assigned')}</th>
              <th scope="col">{t('floor.col.trainee')}</th>
              <th scope="col">{t('campaign.languages')}</th>
            </tr>
          </thead>
          <tbody>
            {trainees.data?.items
              .filter((tr) => tr.active)
              .map((tr) => (
                <tr key={tr.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('campaign.assignNamed', { name: tr.displayName })}
                      checked={selected.includes(tr.id)}
                      onChange={(e) => {
                        setSaved(false);
                        setSelected((s) => (e.target.checked ? [...s, tr.id] : s.filter((x) => x !== tr.id)));
                      }}
                    />
                  </td>
                  <td>{tr.displayName}</td>
                  <td>
                    {tr.languageSkills.map((l) => (
                      <span key={l} className={`badge ${l === engine.requiredLanguage ? 'badge-success' : ''}`}>
                        {l}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <p className="field-hint">{t('campaign.languagesHint')}</p>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={() => void save()}>
          {t('common.save')}
        </button>
      </div>
    </section>
  );
}
