import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revealBody, revealReply } from '@passerelle/shared/api/campaigns';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf } from '../../lib/principal.ts';
import { VaultError } from '../vault/vault.ts';
import { openPhones, openPii } from './pii.ts';

/** Admin-only, audited reveal of one contact's decrypted fields (DESIGN.md §1: never without a reason). */
const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/contacts/:id/reveal', {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['contacts'],
      summary: 'Révéler les données personnelles d’un contact (motif obligatoire, journalisé)',
      params: z.object({ id: z.uuid() }),
      body: revealBody,
      response: { 200: revealReply },
    },
    handler: async (request) => {
      const contact = await app.db
        .selectFrom('contacts')
        .select(['id', 'campaignId', 'partnerId', 'phonesCipher', 'piiCipher'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!contact) throw notFound('Contact');
      let phones: string[];
      let pii: ReturnType<typeof openPii>;
      try {
        const key = await app.vault.keyFor(contact.campaignId);
        phones = openPhones(app.vault, key, contact.phonesCipher);
        pii = openPii(app.vault, key, contact.piiCipher);
      } catch (err) {
        if (err instanceof VaultError && err.reason === 'key_destroyed') {
          throw new AppError(410, 'PII_DESTROYED', 'Les données de ce contact ont été détruites (campagne purgée).');
        }
        throw err;
      }
      // Audited before anything leaves the server.
      await app.audit.record(actorOf(request.principal, request.ip), {
        action: 'contact.reveal',
        targetType: 'contact',
        targetId: contact.id,
        details: { campaignId: contact.campaignId, partnerId: contact.partnerId, reason: request.body.reason },
      });
      return {
        contactId: contact.id,
        campaignId: contact.campaignId,
        phones,
        firstName: pii.firstName ?? null,
        lastName: pii.lastName ?? null,
        email: pii.email ?? null,
        postalCode: pii.postalCode ?? null,
        city: pii.city ?? null,
        birthDate: pii.birthDate ?? null,
        customerRef: pii.customerRef ?? null,
        extra: pii.extra ?? {},
      };
    },
  });
};

export default contactRoutes;
