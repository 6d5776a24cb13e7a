import { createHash } from 'node:crypto';

import { contactFields, type ColumnMapping, type ContactField } from '@passerelle/shared/api/imports';

export type { ColumnMapping, ContactField };

/** `Tél. portable` → `tel portable`: accents, case and punctuation do not matter. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/n[°º]|no\b/g, 'numero ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

type PhoneRank = 0 | 1 | 2;
/** Mobile numbers first (the likeliest to answer), then generic, then landlines. */
const PHONE_HEADERS: Array<[string, PhoneRank]> = [
  ['tel portable', 0], ['telephone portable', 0], ['portable', 0], ['mobile', 0], ['tel mobile', 0],
  ['telephone mobile', 0], ['gsm', 0], ['cellulaire', 0], ['mobile phone', 0], ['cell', 0], ['cell phone', 0],
  ['telephone', 1], ['tel', 1], ['phone', 1], ['numero de telephone', 1], ['numero telephone', 1],
  ['phone number', 1], ['telephone 1', 1], ['tel 1', 1], ['telephone principal', 1],
  ['fixe', 2], ['tel fixe', 2], ['telephone fixe', 2], ['domicile', 2], ['tel domicile', 2], ['landline', 2],
  ['home phone', 2], ['telephone 2', 2], ['tel 2', 2], ['autre telephone', 2], ['telephone bureau', 2],
];

const FIELD_HEADERS: Record<ContactField, string[]> = {
  lastName: ['nom', 'nom de famille', 'last name', 'lastname', 'surname', 'family name', 'nom client', 'nom du client'],
  firstName: ['prenom', 'first name', 'firstname', 'given name', 'prenom client'],
  email: ['email', 'e mail', 'mail', 'courriel', 'adresse email', 'adresse mail', 'adresse e mail', 'email address'],
  postalCode: ['code postal', 'cp', 'postal code', 'zip', 'zip code', 'postcode'],
  city: ['ville', 'commune', 'city', 'town', 'localite'],
  birthDate: ['date de naissance', 'naissance', 'date naissance', 'birth date', 'birthdate', 'date of birth', 'dob', 'ddn'],
  customerRef: ['numero client', 'numero de client', 'reference', 'ref', 'reference client', 'ref client', 'id client',
    'identifiant client', 'customer id', 'customer ref', 'customer number', 'client id', 'numero contrat', 'numero de contrat'],
  consent: ['consentement', 'consent', 'optin', 'opt in', 'accord', 'consentement prospection'],
  consentAt: ['date consentement', 'date de consentement', 'date du consentement', 'consent date', 'date optin', 'date opt in'],
  consentSource: ['source consentement', 'source du consentement', 'source de consentement', 'consent source', 'origine consentement', 'source optin'],
  contract: ['contrat en cours', 'contrat', 'client actif', 'contrat actif', 'active contract', 'current contract', 'has contract', 'abonne'],
  language: ['langue', 'language', 'lang', 'langue preferee'],
};

const FIELD_LOOKUP = new Map<string, ContactField>();
for (const field of contactFields) for (const h of FIELD_HEADERS[field]) FIELD_LOOKUP.set(h, field);
const PHONE_LOOKUP = new Map(PHONE_HEADERS);

/** Header → phone rank by exact synonym, else by the words it contains ("Téléphone portable perso"). */
function phoneRank(norm: string): PhoneRank | undefined {
  const exact = PHONE_LOOKUP.get(norm);
  if (exact !== undefined) return exact;
  // "Mobile1", "Tel2": a column's number does not change what it holds.
  const words = norm.split(' ').map((w) => w.replace(/^([a-z]+)\d+$/, '$1'));
  const phoneWord = words.some((w) => ['tel', 'telephone', 'phone', 'portable', 'mobile', 'gsm', 'fixe'].includes(w));
  if (!phoneWord || words.includes('date') || words.includes('source')) return undefined;
  if (words.some((w) => ['portable', 'mobile', 'gsm', 'cell'].includes(w))) return 0;
  if (words.some((w) => ['fixe', 'domicile', 'bureau', 'home'].includes(w))) return 2;
  return 1;
}

/** A mapping suggested from the header names; the partner confirms or edits it. */
export function suggestMapping(headers: string[]): ColumnMapping {
  const fields: ColumnMapping['fields'] = {};
  const phones: Array<{ column: number; rank: PhoneRank }> = [];
  headers.forEach((header, column) => {
    const norm = normalizeHeader(header);
    if (!norm) return;
    const field = FIELD_LOOKUP.get(norm);
    if (field) {
      if (fields[field] === undefined) fields[field] = column;
      return;
    }
    const rank = phoneRank(norm);
    if (rank !== undefined) phones.push({ column, rank });
  });
  phones.sort((a, b) => a.rank - b.rank || a.column - b.column);
  return { phones: phones.map((p) => p.column), fields, extra: [] };
}

/** True when the first record looks like column names rather than data. */
export function looksLikeHeader(cells: string[]): boolean {
  const known = cells.some((c) => {
    const norm = normalizeHeader(c);
    return FIELD_LOOKUP.has(norm) || phoneRank(norm) !== undefined;
  });
  if (known) return true;
  return !cells.some((c) => /\d{4,}/.test(c.replace(/[\s.\-()/+]/g, '')) || /@/.test(c));
}

/** Files with the same columns share a signature: the partner's saved mapping is reused. */
export function headerSignature(headers: string[]): string {
  return createHash('sha256').update(headers.map(normalizeHeader).join('\u0001')).digest('hex');
}

/** Column names for a file without a header row. */
export const genericHeaders = (count: number) => Array.from({ length: count }, (_, i) => `Colonne ${i + 1}`);

/** The mapping problems that make it unusable, in French (empty when fine). */
export function mappingProblems(mapping: ColumnMapping, columnCount: number): string[] {
  const problems: string[] = [];
  const used = [...mapping.phones, ...Object.values(mapping.fields), ...mapping.extra.map((e) => e.column)];
  if (mapping.phones.length === 0) problems.push('Au moins une colonne de téléphone est requise.');
  if (mapping.fields.lastName === undefined) problems.push('La colonne du nom est requise.');
  if (used.some((c) => c < 0 || c >= columnCount)) problems.push('Une colonne indiquée n’existe pas dans le fichier.');
  if (new Set(used).size !== used.length) problems.push('Une même colonne est affectée deux fois.');
  return problems;
}
