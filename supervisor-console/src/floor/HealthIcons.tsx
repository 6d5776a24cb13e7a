import { useTranslation } from 'react-i18next';
import { callQuality } from '@passerelle/shared/agent-health';
import { useFormat } from '@kit/format.ts';
import type { AgentHealthView } from './floorState.ts';

type Tone = 'ok' | 'warn' | 'bad' | 'unknown';

const PHONE = 'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z';
const MIC = 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2z';
const BARS = 'M3 17h3v4H3zm5.5-5h3v9h-3zM14 7h3v14h-3zm5.5-4h3v18h-3z';

/** One icon with its French tooltip; a struck-through or question-marked shape, never colour alone. */
function Icon({ path, tone, label, testId }: { path: string; tone: Tone; label: string; testId: string }) {
  return (
    <span className={`health-icon health-${tone}`} role="img" aria-label={label} title={label} data-testid={testId} data-tone={tone}>
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={path} />
        {tone === 'bad' && <line x1="3" y1="3" x2="21" y2="21" />}
      </svg>
      {tone === 'unknown' && <span aria-hidden="true">?</span>}
    </span>
  );
}

/** Phone registration, microphone and (during a call) audio quality of one trainee. */
export function HealthIcons({ health }: { health: AgentHealthView | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!health) {
    return (
      <span className="health-icons">
        <Icon path={PHONE} tone="unknown" label={t('floor.device.sip.unknown')} testId="health-sip" />
        <Icon path={MIC} tone="unknown" label={t('floor.device.mic.unknown')} testId="health-mic" />
      </span>
    );
  }
  const sipTone: Tone = health.sip === 'registered' ? 'ok' : health.sip === 'connecting' ? 'warn' : 'bad';
  const micTone: Tone = health.mic === 'ok' ? 'ok' : 'bad';
  const call = health.call;
  const quality = call ? callQuality(call) : null;
  const callLabel = call
    ? [
        t(`floor.device.call.${quality}`),
        t('floor.device.call.loss', { n: fmt.number(call.packetLossPct) }),
        t('floor.device.call.jitter', { n: fmt.number(call.jitterMs) }),
        ...(call.rttMs === null ? [] : [t('floor.device.call.rtt', { n: fmt.number(call.rttMs) })]),
      ].join(' · ')
    : '';
  return (
    <span className="health-icons">
      <Icon path={PHONE} tone={sipTone} label={t(`floor.device.sip.${health.sip}`)} testId="health-sip" />
      <Icon path={MIC} tone={micTone} label={t(`floor.device.mic.${health.mic}`)} testId="health-mic" />
      {call && <Icon path={BARS} tone={quality === 'good' ? 'ok' : quality === 'fair' ? 'warn' : 'bad'} label={callLabel} testId="health-call" />}
    </span>
  );
}
