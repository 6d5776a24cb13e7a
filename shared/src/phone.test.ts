import { describe, expect, it } from 'vitest';
import { normalizePhone, normalizePhoneExact, territoryTimeZone, type NormalizedPhone } from './phone.ts';

type Expected = [e164: string, territory: string, timeZone: string, kind: string] | 'invalid' | 'not_dialable' | 'unknown_region';

const TABLE: Array<[raw: string, region: string, expected: Expected]> = [
  // Guadeloupe, every way a French file writes it
  ['+590 690 00 12 34', 'FR', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['+590690001234', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['00590 690 00 12 34', 'FR', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['00590690001234', 'MQ', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['0690 00 12 34', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['0690001234', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['06.90.00.12.34', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['06-90-00-12-34', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['(0690) 00-12-34', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['+590 (0)690 00 12 34', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['690 00 12 34', 'GP', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['590690001234', 'FR', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['0691 28 12 34', 'GP', ['+590691281234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['0590 12 34 56', 'GP', ['+590590123456', 'GP', 'America/Guadeloupe', 'fixed']],
  ['tel:+590590123456', 'FR', ['+590590123456', 'GP', 'America/Guadeloupe', 'fixed']],
  // Saint-Martin / Saint-Barthélemy share +590 and fold into GP
  ['0590 87 12 34', 'MF', ['+590590871234', 'GP', 'America/Guadeloupe', 'fixed']],
  ['0590 27 12 34', 'BL', ['+590590271234', 'GP', 'America/Guadeloupe', 'fixed']],
  ['+590 590 87 12 34', 'FR', ['+590590871234', 'GP', 'America/Guadeloupe', 'fixed']],
  // Martinique
  ['+596 696 00 12 34', 'FR', ['+596696001234', 'MQ', 'America/Martinique', 'mobile']],
  ['0696 00 12 34', 'MQ', ['+596696001234', 'MQ', 'America/Martinique', 'mobile']],
  ['0697.12.34.56', 'MQ', ['+596697123456', 'MQ', 'America/Martinique', 'mobile']],
  ['0596 60 12 34', 'MQ', ['+596596601234', 'MQ', 'America/Martinique', 'fixed']],
  // Guyane
  ['+594 694 00 12 34', 'FR', ['+594694001234', 'GF', 'America/Cayenne', 'mobile']],
  ['0694 00 12 34', 'GF', ['+594694001234', 'GF', 'America/Cayenne', 'mobile']],
  ['0594 29 12 34', 'GF', ['+594594291234', 'GF', 'America/Cayenne', 'fixed']],
  // Réunion and Mayotte (both +262, told apart by prefix)
  ['+262 692 00 12 34', 'FR', ['+262692001234', 'RE', 'Indian/Reunion', 'mobile']],
  ['0693 12 34 56', 'RE', ['+262693123456', 'RE', 'Indian/Reunion', 'mobile']],
  ['0262 21 12 34', 'RE', ['+262262211234', 'RE', 'Indian/Reunion', 'fixed']],
  ['+262 639 00 12 34', 'FR', ['+262639001234', 'YT', 'Indian/Mayotte', 'mobile']],
  ['0639 69 12 34', 'YT', ['+262639691234', 'YT', 'Indian/Mayotte', 'mobile']],
  ['0269 61 12 34', 'YT', ['+262269611234', 'YT', 'Indian/Mayotte', 'fixed']],
  ['0269 61 12 34', 'RE', ['+262269611234', 'YT', 'Indian/Mayotte', 'fixed']],
  // Metropolitan France
  ['+33 6 12 34 56 78', 'GP', ['+33612345678', 'FR', 'Europe/Paris', 'mobile']],
  ['+33 (0)6 12 34 56 78', 'GP', ['+33612345678', 'FR', 'Europe/Paris', 'mobile']],
  ['0033 6 12 34 56 78', 'GP', ['+33612345678', 'FR', 'Europe/Paris', 'mobile']],
  ['06 12 34 56 78', 'FR', ['+33612345678', 'FR', 'Europe/Paris', 'mobile']],
  ['06.12.34.56.78', 'FR', ['+33612345678', 'FR', 'Europe/Paris', 'mobile']],
  ['6 12 34 56 78', 'FR', ['+33612345678', 'FR', 'Europe/Paris', 'mobile']],
  ['07 81 23 45 67', 'FR', ['+33781234567', 'FR', 'Europe/Paris', 'mobile']],
  ['01 23 45 67 89', 'FR', ['+33123456789', 'FR', 'Europe/Paris', 'fixed']],
  ['09 70 12 34 56', 'FR', ['+33970123456', 'FR', 'Europe/Paris', 'voip']],
  // One national plan: a national number valid in exactly one other French region resolves there
  ['0690 00 12 34', 'MQ', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['0690 00 12 34', 'FR', ['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']],
  ['06 12 34 56 78', 'GP', ['+33612345678', 'FR', 'Europe/Paris', 'mobile']],
  ['0694 00 12 34', 'RE', ['+594694001234', 'GF', 'America/Cayenne', 'mobile']],
  // ...but 0596 60 is valid both in Martinique and in the metropolitan 05 range: ambiguous
  ['0596 60 12 34', 'GP', 'unknown_region'],
  // Not dialable: premium, shared cost, toll-free, short/special numbers
  ['0899 12 34 56', 'FR', 'not_dialable'],
  ['08 91 12 34 56', 'FR', 'not_dialable'],
  ['0820 12 34 56', 'FR', 'not_dialable'],
  ['0800 123 456', 'FR', 'not_dialable'],
  ['+33 800 123 456', 'GP', 'not_dialable'],
  ['3615', 'FR', 'not_dialable'],
  ['3949', 'GP', 'not_dialable'],
  ['112', 'FR', 'not_dialable'],
  ['15', 'GP', 'not_dialable'],
  ['118 712', 'FR', 'not_dialable'],
  // Outside the supported territories or no usable region
  ['+1 212 555 0100', 'FR', 'unknown_region'],
  ['+508 41 00 00', 'FR', 'unknown_region'],
  ['0690 00 12 34', 'US', 'unknown_region'],
  ['0690 00 12 34', '', 'unknown_region'],
  // Invalid
  ['', 'FR', 'invalid'],
  ['   ', 'GP', 'invalid'],
  ['inconnu', 'GP', 'invalid'],
  ['06 12 AB 56 78', 'FR', 'invalid'],
  ['0590', 'GP', 'invalid'],
  ['+590 690 00 12', 'FR', 'invalid'],
  ['0690 00 12 34 56 78', 'GP', 'invalid'],
  ['+596 596 12 34 56', 'FR', 'invalid'],
  ['00 00 00 00 00', 'FR', 'invalid'],
  ['=HYPERLINK("http://x")', 'FR', 'invalid'],
  ['<script>alert(1)</script>', 'FR', 'invalid'],
  ['1234567890123456789', 'FR', 'invalid'],
];

function summarize(result: NormalizedPhone): Expected {
  return result.ok ? [result.e164, result.territory, result.timeZone, result.kind] : result.reason;
}

describe('normalizePhone', () => {
  it.each(TABLE)('%s (region %s)', (raw, region, expected) => {
    expect(summarize(normalizePhone(raw, region))).toEqual(expected);
  });

  it.each(TABLE)('memo-free path agrees: %s (region %s)', (raw, region, expected) => {
    expect(summarize(normalizePhoneExact(raw, region))).toEqual(expected);
  });

  it('the memo gives exactly the libphonenumber answer on 20,000 random numbers of the French plan', { timeout: 30_000 }, () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const regions = ['GP', 'MQ', 'GF', 'RE', 'YT', 'FR', 'MF', 'BL'];
    const codes = ['33', '590', '594', '596', '262'];
    // Biased toward allocated ranges so that most numbers are valid somewhere.
    const prefixes = ['690', '6912', '6913', '696', '697', '694', '692', '693', '639', '5908', '5900', '5902', '5960', '5961', '594', '262', '2631', '269', '6', '7', '1', '9', '8', '3'];
    for (let i = 0; i < 20_000; i++) {
      const prefix = prefixes[random(prefixes.length)]!;
      const nsn = prefix + String(random(1e8)).padStart(8, '0').slice(0, 9 - prefix.length);
      const style = random(5);
      const raw =
        style === 0 ? `0${nsn}` : style === 1 ? `+${codes[random(5)]} ${nsn}` : style === 2 ? `00${codes[random(5)]}${nsn}` : style === 3 ? nsn : `${codes[random(5)]}${nsn}`;
      const region = regions[random(regions.length)]!;
      expect(normalizePhone(raw, region), `${raw} ${region}`).toEqual(normalizePhoneExact(raw, region));
    }
  });

  it('is case-insensitive on the default region', () => {
    expect(summarize(normalizePhone('0690001234', 'gp'))).toEqual(['+590690001234', 'GP', 'America/Guadeloupe', 'mobile']);
  });
});

describe('territoryTimeZone', () => {
  it.each([
    ['GP', 'America/Guadeloupe'],
    ['MQ', 'America/Martinique'],
    ['GF', 'America/Cayenne'],
    ['RE', 'Indian/Reunion'],
    ['YT', 'Indian/Mayotte'],
    ['FR', 'Europe/Paris'],
    ['US', null],
  ])('%s → %s', (territory, zone) => {
    expect(territoryTimeZone(territory)).toBe(zone);
  });
});
