import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rejectReasonLabels, type ConfirmMappingBody, type ImportView, type RejectReason } from '@passerelle/shared/api/imports';
import type { SuppressionUploadReply } from '@passerelle/shared/api/blocklists';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useCurrentSession, useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { opsApi } from '../../api/ops.ts';
import { IMPORT_TONE, ImportsTable } from '../../components/ImportsTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { namedOptions, RegionField, SelectField } from '../../components/SelectField.tsx';
import { MappingForm } from '../../imports/MappingForm.tsx';
import { FINAL_STATUSES, useImportProgress } from '../../imports/useImportProgress.ts';

/** Partner files: upload, column mapping, live progress, report and errors; the suppression list. */
export function PartnerImportsPage() {
  const { t } = useTranslation();
  const { api } = useSession();
  const { user } = useCurrentSession();
  const campaigns = useApiQuery('campaigns', (a) => campaignsApi(a).list());
  const [campaignId, setCampaignId] = useState('');
  const selected = campaignId || campaigns.data?.items.find((c) => !c.purgedAt)?.id || '';
  const imports = useApiQuery(`imports:${selected}`, (a) => (selected ? campaignsApi(a).imports(selected) : Promise.resolve({ items: [] })));
  const [file, setFile] = useState<File | null>(null);
  const [opened, setOpened] = useState<ImportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const follow = useImportProgress(api, opened, user.role === 'partner');
  const view = follow.current;
  const finished = view !== null && (FINAL_STATUSES as readonly string[]).includes(view.status);
  const reloadImports = imports.reload;
  // The file list shows the final state as soon as the followed import ends.
  useEffect(() => {
    if (finished) reloadImports();
  }, [finished, view?.id, reloadImports]);

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!file || !selected) return;
    setError(null);
    setBusy(true);
    try {
      setOpened(await opsApi(api).uploadImport(selected, file));
      imports.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function act(run: () => Promise<ImportView>) {
    setError(null);
    setBusy(true);
    try {
      follow.setCurrent(await run());
      imports.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page">
      <PageHeader title={t('partnerNav.imports')} description={t('partnerHome.tiles.imports')} />
      <ErrorAlert error={error ?? campaigns.error} />
      <form className="card card-body toolbar" onSubmit={upload}>
        <SelectField id="imp-campaign" label={t('imports.campaign')} value={selected} onChange={setCampaignId} options={namedOptions(campaigns.data?.items)} />
        <div className="field grow">
          <label htmlFor="imp-file">{t('imports.file')}</label>
          <input id="imp-file" type="file" accept=".csv,.txt,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={!file || !selected || busy}>
          {t('imports.send')}
        </button>
      </form>
      {view && (
        <section className="card card-body stack" data-testid="import-panel" data-status={view.status}>
          <h2 className="h3">
            {view.fileName} <span className={`badge ${IMPORT_TONE[view.status] ?? ''}`}>{t(`imports.status.${view.status}`)}</span>
          </h2>
          {view.status === 'uploaded' && <MappingForm view={view} busy={busy} onSubmit={(body: ConfirmMappingBody) => void act(() => opsApi(api).confirmMapping(view.id, body))} />}
          {['queued', 'processing', 'committing'].includes(view.status) && <Progress view={view} processed={follow.progress?.processed} total={follow.progress?.total} />}
          {view.status === 'awaiting_confirmation' && (
            <div className="alert alert-warning stack">
              <span>{t('imports.decide')}</span>
              <div className="btn-row">
                <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act(() => opsApi(api).acceptImport(view.id))}>
                  {t('imports.accept')}
                </button>
                <button type="button" className="btn" disabled={busy} onClick={() => void act(() => opsApi(api).cancelImport(view.id))}>
                  {t('imports.cancel')}
                </button>
              </div>
            </div>
          )}
          {view.error && <p className="alert alert-error">{view.error.message}</p>}
          {view.status !== 'uploaded' && <Report view={view} />}
        </section>
      )}
      <section className="card stack">
        <h2 className="h3 card-body">{t('imports.title')}</h2>
        <ErrorAlert error={imports.error} onRetry={imports.reload} />
        <ImportsTable items={imports.data?.items ?? []} onOpen={setOpened} />
      </section>
      {user.partnerId && <Suppressions partnerId={user.partnerId} />}
    </div>
  );
}

function Progress({ view, processed, total }: { view: ImportView; processed?: number; total?: number | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const done = processed ?? view.counts.read;
  const max = total ?? null;
  return (
    <div className="stack">
      <label htmlFor="imp-progress">{t('imports.progress')}</label>
      <progress id="imp-progress" className="progress" max={max ?? undefined} value={max ? Math.min(done, max) : undefined} data-testid="import-progress" />
      <span className="small" role="status">
        {max ? t('imports.progressText', { processed: fmt.number(done), total: fmt.number(max) }) : t('imports.progressUnknown', { processed: fmt.number(done) })}
      </span>
    </div>
  );
}

function Report({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const reasons = Object.entries(view.reasons).filter(([, n]) => n > 0);
  return (
    <div className="stack">
      <p data-testid="import-summary">{t('imports.summary', { read: fmt.number(view.counts.read), imported: fmt.number(view.counts.imported), rejected: fmt.number(view.counts.rejected) })}</p>
      {reasons.length > 0 && (
        <>
          <h3 className="h3">{t('imports.reasons')}</h3>
          <ul>
            {reasons.map(([r, n]) => (
              <li key={r}>
                {rejectReasonLabels[r as RejectReason] ?? r} : {fmt.number(n)}
              </li>
            ))}
          </ul>
        </>
      )}
      {view.counts.rejected > 0 && (
        <a className="btn" href={`/api/imports/${view.id}/errors.csv`} download data-testid="errors-csv">
          {t('imports.errorsCsv')}
        </a>
      )}
    </div>
  );
}

function Suppressions({ partnerId }: { partnerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const counts = useApiQuery(`suppr:${partnerId}`, (a) => opsApi(a).suppressionCounts(partnerId));
  const [file, setFile] = useState<File | null>(null);
  const [region, setRegion] = useState('GP');
  const [result, setResult] = useState<SuppressionUploadReply | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function send(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    try {
      setResult(await opsApi(api).uploadSuppressions(partnerId, region, file));
      counts.reload();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card card-body stack">
      <h2 className="h3">{t('suppressions.title')}</h2>
      <p className="field-hint">{t('suppressions.description')}</p>
      {counts.data && <p>{t('suppressions.counts', { suppressions: fmt.number(counts.data.suppressions), optOuts: fmt.number(counts.data.optOuts) })}</p>}
      <ErrorAlert error={error ?? counts.error} />
      <form className="toolbar" onSubmit={send}>
        <div className="field grow">
          <label htmlFor="sup-file">{t('suppressions.file')}</label>
          <input id="sup-file" type="file" accept=".csv,.txt,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <RegionField id="sup-region" label={t('suppressions.region')} value={region} onChange={setRegion} />
        <button type="submit" className="btn btn-primary" disabled={!file}>
          {t('suppressions.send')}
        </button>
      </form>
      {result && (
        <div className="alert alert-success" role="status">
          <span>{t('suppressions.result', { lines: result.lines, added: result.added, already: result.alreadyListed, invalid: result.invalid })}</span>
          {result.invalidSamples.length > 0 && (
            <ul>
              {result.invalidSamples.map((s) => (
                <li key={s.line}>{t('suppressions.invalidLine', { line: s.line, reason: s.reason })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
