import { describe, expect, it } from 'vitest';
import { headerSignature, looksLikeHeader, mappingProblems, normalizeHeader, suggestMapping } from './mapping.ts';

describe('normalizeHeader', () => {
  it.each([
    ['Tél. portable', 'tel portable'],
    ['  TÉLÉPHONE  ', 'telephone'],
    ['N° client', 'numero client'],
    ['No client', 'numero client'],
    ['Nº client', 'numero client'],
    ['Code_Postal', 'code postal'],
    ['E-mail', 'e mail'],
    ['Prénom', 'prenom'],
  ])('%j → %j', (raw, norm) => expect(normalizeHeader(raw)).toBe(norm));
});

describe('suggestMapping', () => {
  it('maps French headers, accents/case/punctuation aside, phones by priority (mobile, generic, landline)', () => {
    const headers = ['N° client', 'NOM', 'Prénom', 'Fixe', 'Téléphone', 'Tél. portable', 'CP', 'Ville', 'Courriel', 'Date de naissance',
      'Consentement', 'Date consentement', 'Source consentement', 'Contrat en cours', 'Langue', 'Commentaire'];
    expect(suggestMapping(headers)).toEqual({
      phones: [5, 4, 3],
      fields: { customerRef: 0, lastName: 1, firstName: 2, postalCode: 6, city: 7, email: 8, birthDate: 9, consent: 10, consentAt: 11, consentSource: 12, contract: 13, language: 14 },
      extra: [],
    });
  });

  it('maps English headers and phone-ish headers by their words', () => {
    expect(suggestMapping(['Last name', 'First Name', 'Mobile', 'Home phone', 'Email', 'Zip code', 'City', 'Customer ID'])).toEqual({
      phones: [2, 3],
      fields: { lastName: 0, firstName: 1, email: 4, postalCode: 5, city: 6, customerRef: 7 },
      extra: [],
    });
    expect(suggestMapping(['Nom', 'Téléphone portable perso', 'Téléphone bureau', 'Date tél'])).toEqual({ phones: [1, 2], fields: { lastName: 0 }, extra: [] });
  });

  it('reads numbered phone columns ("Mobile1", "Tel2") by their word', () => {
    expect(suggestMapping(['Nom', 'Mobile1', 'Tel2', 'Fixe3'])).toEqual({ phones: [1, 2, 3], fields: { lastName: 0 }, extra: [] });
  });

  it('suggests no phone column when no header names one: the partner picks it', () => {
    expect(suggestMapping(['Dupont', '0690001234']).phones).toEqual([]);
  });

  it('keeps the first of two columns for one field', () => {
    expect(suggestMapping(['Nom', 'nom', 'Portable', 'Mobile'])).toEqual({ phones: [2, 3], fields: { lastName: 0 }, extra: [] });
  });
});

describe('looksLikeHeader', () => {
  it.each([
    [['Nom', 'Téléphone'], true],
    [['Client', 'Numéro'], true],
    [['Dupont', '0690 00 12 34'], false],
    [['Dupont', 'marie@exemple.fr'], false],
  ])('%j → %s', (cells, expected) => expect(looksLikeHeader(cells)).toBe(expected));
});

describe('headerSignature', () => {
  it('is the same for the same columns whatever the accents or case, different otherwise', () => {
    expect(headerSignature(['Nom', 'Téléphone'])).toBe(headerSignature(['NOM', 'telephone']));
    expect(headerSignature(['Nom', 'Téléphone'])).not.toBe(headerSignature(['Téléphone', 'Nom']));
  });
});

describe('mappingProblems', () => {
  it('requires a phone and a name, existing and distinct columns', () => {
    expect(mappingProblems({ phones: [1], fields: { lastName: 0 }, extra: [] }, 2)).toEqual([]);
    expect(mappingProblems({ phones: [], fields: {}, extra: [] }, 2)).toEqual(['Au moins une colonne de téléphone est requise.', 'La colonne du nom est requise.']);
    expect(mappingProblems({ phones: [5], fields: { lastName: 0 }, extra: [] }, 2)).toEqual(['Une colonne indiquée n’existe pas dans le fichier.']);
    expect(mappingProblems({ phones: [1], fields: { lastName: 1 }, extra: [] }, 2)).toEqual(['Une même colonne est affectée deux fois.']);
  });
});
