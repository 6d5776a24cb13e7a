import { defaultMaskingPolicy, maskedCard, type MaskingPolicy } from '@passerelle/shared/masking';
import { legalBasisRequiredFor, type CampaignType } from '@passerelle/shared/api/campaigns';
import { normalizePhone } from '@passerelle/shared/phone';
import type { App } from '../src/app.ts';
import { sealContact, type ContactPii } from '../src/modules/contacts/pii.ts';
import { storeContacts } from '../src/modules/contacts/store.ts';
import { randomToken, sha256Hex } from '../src/lib/tokens.ts';

/** A campaign created straight in the database (the API path is tested in campaigns.test.ts). */
export async function makeCampaign(
  app: App,
  partnerId: string,
  opts: { name?: string; type?: CampaignType; retentionDays?: number; maskingPolicy?: MaskingPolicy } = {},
): Promise<string> {
  const type = opts.type ?? 'after_sales';
  const row = await app.db
    .insertInto('campaigns')
    .values({
      partnerId,
      name: opts.name ?? 'Campagne test',
      type,
      defaultRegion: 'GP',
      maskingPolicy: JSON.stringify(opts.maskingPolicy ?? defaultMaskingPolicy),
      retentionDays: opts.retentionDays ?? 365,
      legalBasisRequired: legalBasisRequiredFor(type),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SyntheticContact {
  phones: string[];
  pii: ContactPii;
}

/** Stores contacts through the vault exactly as the import does: sealed PII, HMAC, masked card. */
export async function addContacts(app: App, campaignId: string, contacts: SyntheticContact[]): Promise<string[]> {
  const campaign = await app.db.selectFrom('campaigns').select(['partnerId', 'maskingPolicy']).where('id', '=', campaignId).executeTakeFirstOrThrow();
  return app.db.transaction().execute(async (trx) => {
    const key = await app.vault.keyFor(campaignId, trx);
    const rows = contacts.map((c) => {
      const phone = normalizePhone(c.phones[0]!, 'GP');
      if (!phone.ok) throw new Error(`bad synthetic number ${c.phones[0]}`);
      return {
        campaignId,
        partnerId: campaign.partnerId,
        ...sealContact(app.vault, key, c.phones, c.pii),
        territory: phone.territory,
        timeZone: phone.timeZone,
        masked: JSON.stringify(maskedCard({ ...c.pii, phone: c.phones[0] }, campaign.maskingPolicy)),
      };
    });
    return storeContacts(trx, rows);
  });
}

/** A multipart/form-data body with one file, for app.inject. */
export function multipartFile(filename: string, content: string | Buffer, field = 'file') {
  const boundary = `----passerelle${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A live API key for the partner; returns the Authorization header. */
export async function partnerApiKey(app: App, partnerId: string): Promise<Record<string, string>> {
  const key = `pk_${randomToken(32)}`;
  await app.db.insertInto('partnerApiKeys').values({ partnerId, name: 'test', prefix: key.slice(0, 10), keyHash: sha256Hex(key) }).execute();
  return { authorization: `Bearer ${key}` };
}
