import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { appointmentChannels, DispositionCode, DispositionInput } from '@passerelle/shared/api/campaign-engine';
import type { AckResult, OfferPayload, OfferSlot } from '@passerelle/shared/events';
import { formatDuration, SITE_TIME_ZONE, useFormat } from '../../kit/format.ts';
import { guardNotes } from '../notes-guard.ts';
import { calleeContext, checkCallback, instantToLocalInput, localInputToInstant } from './callback-window.ts';

/** Offered by every campaign type: what the form proposes when the offer details are unknown. */
export const FALLBACK_CODES: DispositionCode[] = ['callback', 'not_interested', 'wrong_number', 'opt_out', 'no_answer', 'busy', 'voicemail'];
const NOTE_MAX = 1000;

export interface DispositionFormProps {
  offer: OfferPayload | null;
  /** What the line told (busy, no answer…), preselected. */
  suggested: DispositionCode | 'failed' | null;
  wrapUpDeadline: string | null;
  serverNow: () => number;
  onSubmit: (input: DispositionInput) => Promise<AckResult>;
}

type Channel = (typeof appointmentChannels)[number];
// Kept here rather than imported: the shared module builds zod schemas, whose eval probe the CSP refuses.
const CHANNELS: readonly Channel[] = ['onsite', 'phone', 'video'];

/** The after-call form: one outcome, its details per campaign type, a guarded note; required before the next call. */
export function DispositionForm({ offer, suggested, wrapUpDeadline, serverNow, onSubmit }: DispositionFormProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const codes = offer?.dispositions ?? FALLBACK_CODES;
  const [code, setCode] = useState<DispositionCode | ''>(() => (suggested && suggested !== 'failed' && codes.includes(suggested) ? suggested : ''));
  const [slotId, setSlotId] = useState('');
  const [channel, setChannel] = useState<Channel | ''>('');
  const [callbackAt, setCallbackAt] = useState('');
  const [reservedToMe, setReservedToMe] = useState(true);
  const [product, setProduct] = useState('');
  const [amount, setAmount] = useState('');
  const [ticketRef, setTicketRef] = useState('');
  const [note, setNote] = useState('');
  const [noteConfirmed, setNoteConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const place = offer ? { timeZone: offer.card.timeZone, territory: offer.card.territory } : { timeZone: SITE_TIME_ZONE, territory: 'GP' };
  const ctx = calleeContext(offer?.campaign.type ?? null, place);
  const callbackInstant = callbackAt ? localInputToInstant(callbackAt, place.timeZone) : null;
  const callbackCheck = callbackInstant ? checkCallback(callbackInstant, new Date(serverNow()), ctx) : null;
  const noteFindings = guardNotes(note);
  const slots = offer?.slots ?? [];

  useEffect(() => {
    if (noteFindings.length === 0) setNoteConfirmed(false);
  }, [noteFindings.length]);

  const build = (): DispositionInput | string => {
    const n = note.trim() ? { note: note.trim() } : {};
    switch (code) {
      case '':
        return t('dispo.errors.code');
      case 'appointment':
        if (!slotId) return t('dispo.errors.slot');
        return { code, slotId, channel: channel || (slots.find((s) => s.id === slotId)?.channel as Channel) || 'onsite', ...n };
      case 'callback':
        if (!callbackInstant) return t('dispo.errors.callbackAt');
        if (!callbackCheck?.ok) return t('dispo.errors.callbackWindow');
        return { code, at: callbackInstant.toISOString(), reservedToMe, ...n };
      case 'sale':
      case 'renewal': {
        if (!product.trim()) return t('dispo.errors.product');
        const euros = amount.trim() ? Number(amount.replace(',', '.').replace(/\s/g, '')) : null;
        if (euros !== null && (!Number.isFinite(euros) || euros < 0)) return t('dispo.errors.amount');
        return { code, product: product.trim(), ...(euros !== null ? { amountCents: Math.round(euros * 100) } : {}), ...n };
      }
      case 'ticket_solved':
      case 'ticket_escalated':
        return { code, ...(ticketRef.trim() ? { ticketRef: ticketRef.trim() } : {}), ...n };
      default:
        return { code, ...n };
    }
  };

  const submit = async () => {
    const input = build();
    if (typeof input === 'string') return setError(input);
    if (noteFindings.length && !noteConfirmed) return setError(t('dispo.errors.noteConfirm'));
    setBusy(true);
    setError(null);
    const result = await onSubmit(input);
    setBusy(false);
    if (!result.ok) setError(result.message);
  };

  return (
    <section className="card dispo" aria-labelledby="dispo-title">
      <div className="card-header">
        <h2 id="dispo-title">{t('dispo.title')}</h2>
        <WrapUpTimer deadline={wrapUpDeadline} serverNow={serverNow} />
      </div>
      <form
        className="card-body"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="field-hint">{t('dispo.required')}</p>
        <fieldset className="field dispo-codes">
          <legend className="field-label">{t('dispo.outcome')}</legend>
          {codes.map((c) => (
            <label key={c} className={`choice${code === c ? ' chosen' : ''}`}>
              <input type="radio" name="dispo-code" value={c} checked={code === c} onChange={() => setCode(c)} /> {t(`outcome.${c}`)}
            </label>
          ))}
        </fieldset>

        {code === 'appointment' && <SlotPicker slots={slots} slotId={slotId} onSlot={setSlotId} channel={channel} onChannel={setChannel} />}

        {code === 'callback' && (
          <div className="field-group">
            <div className="field">
              <label htmlFor="callback-at">{t('dispo.callbackAt', { zone: place.timeZone })}</label>
              <input id="callback-at" type="datetime-local" value={callbackAt} onChange={(e) => setCallbackAt(e.target.value)} aria-describedby="callback-help" />
              <span className="field-hint" id="callback-help">
                {t('dispo.callbackHelp')}
              </span>
              {callbackCheck && !callbackCheck.ok && (
                <div className="field-error" role="alert">
                  {t(`dispo.callbackRefused.${callbackCheck.reason}`)}
                  {callbackCheck.suggestion && (
                    <button type="button" className="btn btn-sm" onClick={() => setCallbackAt(instantToLocalInput(callbackCheck.suggestion!, place.timeZone))}>
                      {t('dispo.useSuggestion', { at: fmt.dateTime(callbackCheck.suggestion) })}
                    </button>
                  )}
                </div>
              )}
              {callbackCheck?.ok && <span className="badge badge-success">✓ {t('dispo.callbackOk')}</span>}
            </div>
            <fieldset className="field">
              <legend className="field-label">{t('dispo.callbackFor')}</legend>
              <label className="choice">
                <input type="radio" name="callback-for" checked={reservedToMe} onChange={() => setReservedToMe(true)} /> {t('dispo.forMe')}
              </label>
              <label className="choice">
                <input type="radio" name="callback-for" checked={!reservedToMe} onChange={() => setReservedToMe(false)} /> {t('dispo.forAnyone')}
              </label>
            </fieldset>
          </div>
        )}

        {(code === 'sale' || code === 'renewal') && (
          <div className="field-group">
            <div className="field">
              <label htmlFor="dispo-product">{t('dispo.product')}</label>
              <input id="dispo-product" value={product} maxLength={200} onChange={(e) => setProduct(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="dispo-amount">{t('dispo.amount')}</label>
              <input id="dispo-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            </div>
          </div>
        )}

        {(code === 'ticket_solved' || code === 'ticket_escalated') && (
          <div className="field">
            <label htmlFor="dispo-ticket">{t('dispo.ticketRef')}</label>
            <input id="dispo-ticket" value={ticketRef} maxLength={100} onChange={(e) => setTicketRef(e.target.value)} />
          </div>
        )}

        <div className="field">
          <label htmlFor="dispo-note">{t('dispo.note')}</label>
          <textarea id="dispo-note" rows={3} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="note-help" />
          <span className="field-hint" id="note-help">
            {t('dispo.noteHelp', { count: note.length, max: NOTE_MAX })}
          </span>
          {noteFindings.length > 0 && (
            <div className="alert alert-warning" role="alert" data-testid="note-warning">
              <p className="alert-title">⚠ {t('dispo.noteWarning', { what: noteFindings.map((f) => t(`dispo.finding.${f}`)).join(', ') })}</p>
              <label className="choice">
                <input type="checkbox" checked={noteConfirmed} onChange={(e) => setNoteConfirmed(e.target.checked)} /> {t('dispo.noteConfirm')}
              </label>
            </div>
          )}
        </div>

        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('dispo.submit')}
        </button>
      </form>
    </section>
  );
}

function SlotPicker({ slots, slotId, onSlot, channel, onChannel }: { slots: OfferSlot[]; slotId: string; onSlot: (id: string) => void; channel: Channel | ''; onChannel: (c: Channel) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const days = useMemo(() => {
    const byDay = new Map<string, OfferSlot[]>();
    for (const s of [...slots].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      const day = fmt.longDate(s.startsAt);
      byDay.set(day, [...(byDay.get(day) ?? []), s]);
    }
    return [...byDay];
  }, [slots, fmt]);
  if (slots.length === 0) return <p className="alert alert-warning">{t('dispo.noSlots')}</p>;
  const chosen = slots.find((s) => s.id === slotId);
  return (
    <div className="field-group">
      <fieldset className="field">
        <legend className="field-label">{t('dispo.slot')}</legend>
        <div className="slot-calendar">
          {days.map(([day, list]) => (
            <div className="slot-day" key={day} role="group" aria-label={day}>
              <p className="slot-day-title">{day}</p>
              {list.map((s) => (
                <label key={s.id} className={`slot${slotId === s.id ? ' chosen' : ''}`}>
                  <input type="radio" name="slot" value={s.id} checked={slotId === s.id} onChange={() => onSlot(s.id)} />
                  <span>
                    {fmt.time(s.startsAt)}–{fmt.time(s.endsAt)} · {t(`channel.${s.channel}`, { defaultValue: s.channel })}
                    {s.place ? ` · ${s.place}` : ''}
                  </span>
                </label>
              ))}
            </div>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="dispo-channel">{t('dispo.channel')}</label>
        <select id="dispo-channel" value={channel || chosen?.channel || ''} onChange={(e) => onChannel(e.target.value as Channel)}>
          <option value="" disabled>
            {t('dispo.chooseChannel')}
          </option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
        {chosen?.place && <span className="field-hint">{t('dispo.place', { place: chosen.place })}</span>}
      </div>
    </div>
  );
}

function WrapUpTimer({ deadline, serverNow }: { deadline: string | null; serverNow: () => number }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(serverNow()), 1000);
    return () => window.clearInterval(timer);
  }, [serverNow]);
  if (!deadline) return null;
  const left = Math.max(0, Math.floor((new Date(deadline).getTime() - now) / 1000));
  return (
    <span className={`badge ${left < 30 ? 'badge-danger' : 'badge-violet'}`} role="timer" data-testid="wrapup-timer">
      ✎ {t('dispo.timeLeft', { time: formatDuration(left) })}
    </span>
  );
}
