import type { DataKey, Vault } from '../vault/vault.ts';

/** The personal fields of a contact, encrypted as one JSON blob (contacts.pii_cipher). */
export interface ContactPii {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  postalCode?: string | null;
  city?: string | null;
  /** ISO date (YYYY-MM-DD). */
  birthDate?: string | null;
  /** The partner's own reference for the customer. */
  customerRef?: string | null;
  /** Other file columns, by header name. */
  extra?: Record<string, string>;
}

export interface SealedContact {
  phoneHmac: string;
  phonesCipher: Buffer;
  piiCipher: Buffer;
}

/** Encrypts a contact's numbers (E.164, priority order; the first is the primary) and personal fields. */
export function sealContact(vault: Vault, key: DataKey, phones: readonly string[], pii: ContactPii): SealedContact {
  const primary = phones[0];
  if (!primary) throw new Error('a contact needs at least one number');
  return {
    phoneHmac: vault.phoneHmac(primary),
    phonesCipher: vault.encryptJson(key, phones),
    piiCipher: vault.encryptJson(key, pii),
  };
}

export function openPhones(vault: Vault, key: DataKey, blob: Buffer): string[] {
  return vault.decryptJson<string[]>(key, blob);
}

export function openPii(vault: Vault, key: DataKey, blob: Buffer): ContactPii {
  return vault.decryptJson<ContactPii>(key, blob);
}
