import { defaultScript } from '@passerelle/shared/api/campaign-engine';
import type { OfferPayload } from '@passerelle/shared/events';

/** A synthetic offer as the dialer sends it (masked card only), for component tests. */
export function testOffer(patch: Partial<OfferPayload> = {}): OfferPayload {
  return {
    attemptId: '11111111-1111-4111-8111-111111111111',
    token: 'tk_AbCdEfGhIjKlMnOpQrStUvWxYz012345',
    expiresAt: '2026-11-30T14:02:00.000Z',
    mode: 'preview',
    countdownSeconds: 5,
    campaign: { id: '22222222-2222-4222-8222-222222222222', name: 'Bilan auditif 2026', type: 'appointment', partnerName: 'Audition Caraïbes' },
    card: { name: 'Marie D.', phone: '06 90 •• •• 34', city: 'Les Abymes', department: '971', customerRef: null, extra: { Produit: 'Aide auditive' }, territory: 'GP', timeZone: 'America/Guadeloupe', language: 'fr' },
    script: {
      steps: [
        { kind: 'step', title: 'Objet de l’appel', text: 'Exposer l’objet.' },
        { kind: 'recording_notice', title: 'Enregistrement', text: 'Cet appel est susceptible d’être enregistré.' },
        { kind: 'legal_opening', title: 'Présentation', text: 'Bonjour, je vous appelle pour le compte de…' },
        ...defaultScript.steps.slice(3),
      ],
      objections: [{ objection: 'Je n’ai pas le temps', answer: 'Je comprends, quand puis-je vous rappeler ?' }],
    },
    dispositions: ['appointment', 'callback', 'not_interested', 'wrong_number', 'opt_out', 'no_answer', 'busy', 'voicemail'],
    slots: [
      { id: '33333333-3333-4333-8333-333333333331', startsAt: '2026-12-01T13:00:00.000Z', endsAt: '2026-12-01T13:30:00.000Z', channel: 'onsite', place: 'Centre des Abymes' },
      { id: '33333333-3333-4333-8333-333333333332', startsAt: '2026-12-02T14:00:00.000Z', endsAt: '2026-12-02T14:30:00.000Z', channel: 'phone', place: null },
    ],
    history: [{ at: '2026-11-20T15:00:00.000Z', outcome: 'no_answer' }],
    callback: null,
    ...patch,
  };
}
