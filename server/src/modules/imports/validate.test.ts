import { describe, expect, it } from 'vitest';
import { isReject, validateRow, type RowContext } from './validate.ts';
import { isYes, maskRaw, parseDate, parseLanguage } from './values.ts';

const headers = ['Nom', 'Prénom', 'Portable', 'Fixe', 'Date de naissance', 'Contrat en cours', 'Consentement', 'Date consentement', 'Source consentement', 'Langue', 'Produit'];
const ctx = (legalBasisRequired: boolean): RowContext => ({
  mapping: {
    phones: [2, 3],
    fields: { lastName: 0, firstName: 1, birthDate: 4, contract: 5, consent: 6, consentAt: 7, consentSource: 8, language: 9 },
    extra: [{ column: 10, name: 'Produit' }],
  },
  headers,
  defaultRegion: 'GP',
  legalBasisRequired,
  now: new Date('2026-11-29T12:00:00Z'),
});
const row = (over: Partial<Record<number, string>>) => headers.map((_, i) => over[i] ?? ['Dupont', 'Marie', '0690001234', '0590 82 12 34', '17/05/1980', 'oui', '', '', '', 'créole', 'Fibre'][i]!);
const verdict = (cells: string[], required = true) => {
  const r = validateRow(7, cells, ctx(required));
  return isReject(r) ? [r.reason, r.column, r.detail] : 'ok';
};

describe('validateRow', () => {
  it('accepts a complete row: numbers in priority order, territory, zone, language, extra columns', () => {
    const r = validateRow(7, row({}), ctx(true));
    expect(r).toEqual({
      rowNo: 7,
      phones: ['+590690001234', '+590590821234'],
      territory: 'GP',
      timeZone: 'America/Guadeloupe',
      language: 'gcf',
      legalBasis: 'contract',
      consentAt: null,
      consentSource: null,
      pii: { firstName: 'Marie', lastName: 'Dupont', email: null, postalCode: null, city: null, birthDate: '1980-05-17', customerRef: null, extra: { Produit: 'Fibre' } },
    });
  });

  it('falls back on the next phone column; the primary number decides the territory', () => {
    const r = validateRow(7, row({ 2: 'pas de portable', 3: '+596 596 60 12 34' }), ctx(true));
    expect(isReject(r) ? null : [r.phones, r.territory]).toEqual([['+596596601234'], 'MQ']);
  });

  it.each([
    [{ 2: '', 3: '' }, ['missing_required', 'Portable', 'téléphone']],
    [{ 2: '0690 00 12', 3: '' }, ['invalid_number', 'Portable', '06••••12']],
    [{ 2: '0899 12 34 56', 3: 'n/a' }, ['not_dialable', 'Portable', '08••••56']],
    [{ 2: '+1 212 555 0100', 3: '' }, ['unknown_region', 'Portable', '+1••••00']],
    [{ 0: '  ' }, ['missing_required', 'Nom', 'nom']],
    [{ 4: '31/02/1980' }, ['bad_date', 'Date de naissance', '31••••80']],
    [{ 4: '01/01/80' }, ['bad_date', 'Date de naissance', '01••••80']],
    [{ 4: '01/01/2999' }, ['bad_date', 'Date de naissance', '01••••99']],
    [{ 5: 'non' }, ['no_legal_basis', 'Contrat en cours', null]],
    [{ 5: '', 6: 'oui', 7: '12/03/2026', 8: '' }, ['no_legal_basis', 'Contrat en cours', null]],
    [{ 5: '', 6: 'oui', 7: '2026-13-01', 8: 'web' }, ['bad_date', 'Date consentement', '20••••01']],
  ])('%j → %j', (over, expected) => {
    expect(verdict(row(over))).toEqual(expected);
  });

  it('records a dated, sourced consent; after-sales campaigns need no legal basis', () => {
    const r = validateRow(7, row({ 5: '', 6: 'Oui', 7: '12/03/2026 14h30', 8: 'salon' }), ctx(true));
    expect(isReject(r) ? null : [r.legalBasis, r.consentAt?.toISOString(), r.consentSource]).toEqual(['consent', '2026-03-12T14:30:00.000Z', 'salon']);
    expect(verdict(row({ 5: 'non' }), false)).toBe('ok');
  });
});

describe('values', () => {
  it.each([
    ['17/05/1980', '1980-05-17T00:00:00.000Z'],
    ['17-05-1980', '1980-05-17T00:00:00.000Z'],
    ['17.05.1980 08:05:09', '1980-05-17T08:05:09.000Z'],
    ['1980-05-17', '1980-05-17T00:00:00.000Z'],
    ['1980-05-17T10:30:00Z', '1980-05-17T10:30:00.000Z'],
    ['29/02/2024', '2024-02-29T00:00:00.000Z'],
    ['29/02/2023', null],
    ['17/05/80', null],
    ['05/17/1980', null],
    ['17/05/1980 25:00', null],
    ['demain', null],
  ])('parseDate(%j) → %j', (raw, iso) => expect(parseDate(raw)?.toISOString() ?? null).toBe(iso));

  it('isYes / parseLanguage / maskRaw', () => {
    expect(['oui', 'OUI', 'Oui ', 'o', 'x', '1', 'yes', 'vrai', 'En cours'].every(isYes)).toBe(true);
    expect(['non', '0', '', 'peut-être'].some(isYes)).toBe(false);
    expect([parseLanguage('Français'), parseLanguage('EN'), parseLanguage('Créole'), parseLanguage('klingon'), parseLanguage(undefined)]).toEqual(['fr', 'en', 'gcf', 'fr', 'fr']);
    expect([maskRaw('0690001234'), maskRaw('Dupont'), maskRaw(''), maskRaw('+33 6 12 34 56 78')]).toEqual(['06••••34', '••••••', '', '+3••••78']);
  });
});
