import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RetryOutcome } from '@passerelle/shared/calling-rules';
import type { DispositionCode } from '@passerelle/shared/api/campaign-engine';
import { staffRoles } from '@passerelle/shared/roles';
import { campaignParams, campaignResultsQuery, campaignResultsReply, type ContactResult } from '@passerelle/shared/api/campaigns';
import { actorOf } from '../../lib/principal.ts';
import { CSV_BOM, csvLine } from './csv.ts';
import { ResultsService } from './results.ts';
import type { CampaignService } from './service.ts';

const STATUS_LABELS: Record<string, string> = {
  pending: 'À appeler',
  locked: 'Appel en cours',
  callback: 'Rappel prévu',
  done: 'Traité',
  refused: 'Refus',
  opted_out: 'Opposition',
  exhausted: 'Injoignable (tentatives épuisées)',
  blocked: 'Numéro bloqué',
  ineligible: 'Sans base légale',
  expired: 'Campagne terminée',
};

/** Every outcome a dialled attempt can end with (typed: a new one cannot reach the partner as a raw code). */
const OUTCOME_LABELS: Record<DispositionCode | RetryOutcome, string> = {
  appointment: 'Rendez-vous',
  callback: 'Rappel',
  sale: 'Vente',
  renewal: 'Renouvellement',
  ticket_solved: 'Problème résolu',
  ticket_escalated: 'Problème transmis',
  not_interested: 'Pas intéressé',
  wrong_number: 'Faux numéro',
  opt_out: 'Opposition',
  no_answer: 'Pas de réponse',
  busy: 'Occupé',
  voicemail: 'Messagerie',
  failed: 'Échec technique',
};

const HEADER = ['Référence client', 'Statut', 'Tentatives', 'Dernier résultat', 'Date du dernier appel', 'Rendez-vous', 'Lieu du rendez-vous', 'Rappel prévu', 'Opposition'];

/** Results for the partner (JSON pages and a streamed CSV for Excel). Audited as exports. */
export function resultsRoutes(campaigns: CampaignService): FastifyPluginAsyncZod {
  return async (app) => {
    const results = new ResultsService(app.db, app.vault);
    const access = { roles: [...staffRoles, 'partner'] as const, apiKey: true };
    // Dates as the site reads them ("2026-11-29 14:05"), in the site's time zone.
    const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: app.config.SITE_TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });
    const date = (iso: string | null) => (iso ? dateFormat.format(new Date(iso)) : null);
    const row = (r: ContactResult) =>
      csvLine([
        r.customerRef,
        STATUS_LABELS[r.status] ?? r.status,
        r.attempts,
        r.lastOutcome ? (OUTCOME_LABELS[r.lastOutcome as keyof typeof OUTCOME_LABELS] ?? r.lastOutcome) : null,
        date(r.lastAttemptAt),
        date(r.appointmentAt),
        r.appointmentPlace,
        date(r.callbackAt),
        r.optedOut ? 'oui' : 'non',
      ]);

    app.get('/campaigns/:id/results', {
      config: { access },
      schema: { tags: ['campaigns'], summary: 'Résultats par contact (JSON, paginé)', params: campaignParams, querystring: campaignResultsQuery, response: { 200: campaignResultsReply } },
      handler: async (request) => {
        const campaign = await campaigns.get(request.principal, request.params.id);
        const [counts, page] = await Promise.all([results.counts(campaign), results.page(campaign.id, request.query.after ?? null, request.query.limit)]);
        await app.audit.record(actorOf(request.principal, request.ip), {
          action: 'campaign.results_export',
          targetType: 'campaign',
          targetId: campaign.id,
          details: { format: 'json', rows: page.items.length, after: request.query.after ?? null },
        });
        return { campaignId: campaign.id, purgedAt: campaign.purgedAt?.toISOString() ?? null, counts, ...page };
      },
    });

    app.get('/campaigns/:id/results.csv', {
      config: { access },
      schema: {
        tags: ['campaigns'],
        summary: 'Résultats par contact (CSV pour Excel : UTF-8 BOM, « ; »)',
        params: campaignParams,
        produces: ['text/csv'],
        response: { 200: z.string().describe('CSV') },
      },
      handler: async (request, reply) => {
        const campaign = await campaigns.get(request.principal, request.params.id);
        await app.audit.record(actorOf(request.principal, request.ip), {
          action: 'campaign.results_export',
          targetType: 'campaign',
          targetId: campaign.id,
          details: { format: 'csv', rows: campaign.contactCount ?? 0 },
        });
        async function* lines() {
          yield CSV_BOM + csvLine(HEADER);
          for await (const r of results.all(campaign.id)) yield row(r);
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="resultats-${campaign.id}.csv"`)
          .header('cache-control', 'no-store')
          // A stream bypasses serialization; the schema documents the CSV body for OpenAPI.
          .send(Readable.from(lines()) as unknown as string);
      },
    });
  };
}
