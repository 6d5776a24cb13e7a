import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, VerifyAuditReply } from '@passerelle/shared/api/admin';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { parseSiteDateTime, useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { adminApi, type AuditQuery } from '../../api/admin.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface Filters {
  action: string;
  actorUserId: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { action: '', actorUserId: '', targetType: '', targetId: '', from: '', to: '' };
const PAGE = 50;

/** The API query, or the names of the date fields that could not be read. */
function toQuery(f: Filters): { query: AuditQuery; invalid: (keyof Filters)[] } {
  const from = f.from.trim() ? parseSiteDateTime(f.from) : undefined;
  const to = f.to.trim() ? parseSiteDateTime(f.to) : undefined;
  const invalid = [from === null && 'from', to === null && 'to'].filter((k): k is 'from' | 'to' => !!k);
  return {
    invalid,
    query: {
      action: f.action.trim() || undefined,
      actorUserId: f.actorUserId.trim() || undefined,
      targetType: f.targetType.trim() || undefined,
      targetId: f.targetId.trim() || undefined,
      from: from ?? undefined,
      to: to ?? undefined,
      limit: PAGE,
    },
  };
}

/** The append-only audit trail, newest first, with filters and the hash-chain check. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [verify, setVerify] = useState<VerifyAuditReply | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [invalid, setInvalid] = useState<(keyof Filters)[]>([]);

  async function load(filters: Filters, before?: number) {
    const { query, invalid: bad } = toQuery(filters);
    setInvalid(bad);
    if (bad.length) return;
    setLoading(true);
    setError(null);
    try {
      const page = await adminApi(api).listAudit({ ...query, before });
      setRows((prev) => (before ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
      setApplied(filters);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  async function runVerify() {
    setVerifying(true);
    setVerify(null);
    setError(null);
    try {
      setVerify(await adminApi(api).verifyAudit());
    } catch (err) {
      setError(err);
    } finally {
      setVerifying(false);
    }
  }

  useEffect(() => {
    void load(EMPTY);
    // First page once, on arrival; later loads follow the filters.
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void load(draft);
  };
  const field = (name: keyof Filters, placeholder?: string) => {
    const wrong = invalid.includes(name);
    return (
      <div className="field">
        <label htmlFor={`audit-${name}`}>{t(`audit.filter.${name}`)}</label>
        <input
          id={`audit-${name}`}
          value={draft[name]}
          placeholder={placeholder}
          onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
          aria-invalid={wrong || undefined}
          aria-describedby={wrong ? `audit-${name}-error` : undefined}
        />
        {wrong && (
          <span id={`audit-${name}-error`} className="field-error">
            {t('audit.dateFormat')}
          </span>
        )}
      </div>
    );
  };
  const actionLabel = (action: string) => (i18n.exists(`audit.actions.${action}`) ? t(`audit.actions.${action}`) : null);

  return (
    <div className="page">
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => void runVerify()} disabled={verifying}>
            {verifying ? t('audit.verifying') : t('audit.verify')}
          </button>
        }
      />
      {verify && (
        <div className={`alert ${verify.ok ? 'alert-success' : 'alert-error'}`} role="status" data-testid="audit-verify">
          <strong className="alert-title">{verify.ok ? t('audit.chainOk') : t('audit.chainBroken')}</strong>
          <span>
            {verify.ok
              ? t('audit.chainOkBody', { rows: fmt.number(verify.rows) })
              : t('audit.chainBrokenBody', { id: verify.brokenId, reason: t(`audit.reason.${verify.reason ?? 'hash_mismatch'}`) })}
          </span>
        </div>
      )}
      <form className="toolbar filters" onSubmit={submit} aria-label={t('audit.filters')}>
        {field('action')}
        {field('actorUserId')}
        {field('targetType')}
        {field('targetId')}
        {field('from', t('audit.datePlaceholder'))}
        {field('to', t('audit.datePlaceholder'))}
        <div className="btn-row toolbar-actions">
          <button type="submit" className="btn btn-primary">
            {t('audit.apply')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft(EMPTY);
              void load(EMPTY);
            }}
          >
            {t('audit.reset')}
          </button>
        </div>
      </form>
      <p className="field-hint">{t('audit.timeZoneHint')}</p>
      <ErrorAlert error={error} onRetry={() => void load(applied)} />
      <section className="card">
        <DataTable
          className="audit-table"
          columns={[
            { label: '#', className: 'num' },
            t('audit.col.at'),
            t('audit.col.action'),
            t('audit.col.actor'),
            t('audit.col.target'),
            t('audit.col.ip'),
            t('audit.col.details'),
            t('audit.col.hash'),
          ]}
          items={rows}
          loading={loading}
          empty={t('audit.empty')}
          row={(r) => (
            <tr key={r.id} className={verify && verify.brokenId === r.id ? 'row-broken' : undefined}>
              <td className="num">{r.id}</td>
              <td className="nowrap">{fmt.dateTime(r.at)}</td>
              <td>
                <span className="mono">{r.action}</span>
                {actionLabel(r.action) && <span className="cell-sub">{actionLabel(r.action)}</span>}
              </td>
              <td>
                {r.actorRole ? t(`roles.${r.actorRole}`, { defaultValue: r.actorRole }) : t('audit.system')}
                {r.actorUserId && <span className="cell-sub mono" title={r.actorUserId}>{r.actorUserId.slice(0, 8)}</span>}
              </td>
              <td>
                {r.targetType ?? t('common.none')}
                {r.targetId && <span className="cell-sub mono" title={r.targetId}>{r.targetId.slice(0, 8)}</span>}
              </td>
              <td className="mono">{r.ip ?? t('common.none')}</td>
              <td className="details mono">{Object.keys(r.details).length ? JSON.stringify(r.details) : t('common.none')}</td>
              <td className="mono" title={r.hash}>
                {r.hash.slice(0, 10)}
              </td>
            </tr>
          )}
        />
      </section>
      {cursor !== null && (
        <p className="load-more">
          <button type="button" className="btn" onClick={() => void load(applied, cursor)} disabled={loading}>
            {t('audit.more')}
          </button>
        </p>
      )}
    </div>
  );
}
