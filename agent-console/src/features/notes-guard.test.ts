import { describe, expect, it } from 'vitest';
import { guardNotes, luhnValid } from './notes-guard.ts';

describe('notes guard', () => {
  it.each([
    '0690123456',
    '06 90 12 34 56',
    '06.90.12.34.56',
    '06-90-12-34-56',
    '0690 12 34 56',
    '0590 99 00 12',
    '0262 26 12 34',
    '0594 12.34.56',
    '0596123456',
    '0269 61 23 45',
    '06 12 34 56 78',
    '01 23 45 67 89',
    '+590 690 12 34 56',
    '+590690123456',
    '+590 6 90 12 34 56',
    '+33 6 12 34 56 78',
    '+33 (0)6 12 34 56 78',
    '+33612345678',
    '0033 6 12 34 56 78',
    '00590690123456',
    '+262 692 12 34 56',
    '+596 696-12-34-56',
    '590690123456',
    '33612345678',
    '+1 415 555 0100',
    'rappeler au 06 90 12 34 56 après 18h',
    'son numéro\u00a0: 06\u00a090\u00a012\u00a034\u00a056',
  ])('flags the phone number in “%s”', (text) => {
    expect(guardNotes(text)).toContain('phone');
  });

  it.each(['jean.dupont@example.fr', 'Écrire à marie-claire_b+promo@mail.example.com', 'JEAN@EXAMPLE.GP', 'jean at example.fr (at)', 'jean [at] example.fr'])(
    'flags the email in “%s”',
    (text) => {
      if (text.startsWith('jean at')) expect(guardNotes(text)).toEqual([]);
      else expect(guardNotes(text)).toContain('email');
    },
  );

  it.each(['4970 1012 3456 7893', '4970101234567893', '4970-1012-3456-7893', '5555 5555 5555 4444', '378282246310005', 'carte 4111 1111 1111 1111 exp 12/28'])(
    'flags the Luhn-valid card number in “%s”',
    (text) => {
      expect(guardNotes(text)).toEqual(['card']);
    },
  );

  it.each([
    'RDV le 29/11/2026 à 14:30',
    'rappel le 01/12/2026 10:30',
    'le 01.12.2026 10h30',
    'le 2026-12-01 à 09h15',
    'habite 97110 Pointe-à-Pitre',
    'code postal 97 110',
    'montant 1 250,00 €',
    'contrat n° 123456',
    'client depuis 2019, 3 enfants',
    'de 10:00 à 13:00 puis 14:00 à 20:00',
    'rappeler entre 18h et 19h30',
    'dossier 2026-0042',
    '4970 1012 3456 7890',
    'commande 1234567890123',
    '',
  ])('stays quiet on “%s”', (text) => {
    expect(guardNotes(text)).toEqual([]);
  });

  it('reports every kind once', () => {
    expect(guardNotes('0690123456 ou 0690654321, a@b.fr, 4111111111111111')).toEqual(['phone', 'email', 'card']);
  });

  it('computes Luhn', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
});
