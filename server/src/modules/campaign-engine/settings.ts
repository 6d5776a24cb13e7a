import type { Selectable } from 'kysely';
import { defaultDialerSettings, type DialerSettings } from '@passerelle/shared/api/campaign-engine';
import type { DialerDatabase } from '../dialer/tables.ts';

export type CampaignRecord = Selectable<DialerDatabase['campaigns']>;

/** A campaign's dialing settings, the type's defaults filling what was never set. */
export function effectiveSettings(c: CampaignRecord): DialerSettings {
  const d = defaultDialerSettings(c.type);
  return {
    dialingMode: c.dialingMode,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    windows: c.windows ?? d.windows,
    retryRules: c.retryRules ?? d.retryRules,
    callerId: c.callerId,
    requiredLanguage: c.requiredLanguage,
    script: c.script ?? d.script,
    dispositions: c.dispositions ?? d.dispositions,
    wrapUpSeconds: c.wrapUpSeconds,
    offerTtlSeconds: c.offerTtlSeconds,
    countdownSeconds: c.countdownSeconds,
  };
}
