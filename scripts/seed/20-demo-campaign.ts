/**
 * A running appointment campaign for the demo partner, its trainees, slots and ~40 synthetic
 * contacts whose numbers fall in the simulated trunk's ranges (telephony/README.md), so the demo
 * dials right away. Created once: if the campaign exists, nothing changes.
 */
import { legalBasisRequiredFor } from '@passerelle/shared/api/campaigns';
import { defaultDialerSettings, settingsErrors, type DialerSettings } from '@passerelle/shared/api/campaign-engine';
import { localTime, zonedInstant } from '@passerelle/shared/calling-rules';
import { defaultMaskingPolicy, maskedCard } from '@passerelle/shared/masking';
import { normalizePhone } from '@passerelle/shared/phone';
import { AuditService } from '../../server/src/modules/audit/service.ts';
import { CampaignRepository } from '../../server/src/modules/campaigns/repository.ts';
import { sealContact } from '../../server/src/modules/contacts/pii.ts';
import { storeContacts } from '../../server/src/modules/contacts/store.ts';
import type { DialerDb } from '../../server/src/modules/dialer/tables.ts';
import { Vault } from '../../server/src/modules/vault/vault.ts';
import { DEMO_PARTNER, DEMO_SITE, DEMO_USERS } from '../lib/demo-data.ts';
import type { SeedModule } from '../lib/seed.ts';

export const DEMO_CAMPAIGN_NAME = 'Rendez-vous compteurs — démo';
const SYSTEM = { userId: null, role: 'system' } as const;
/** Fictitious caller ID (same as the dialer tests). */
const CALLER_ID = '+590947500000';

const FIRST = ['Marie', 'Jean', 'Lucienne', 'Patrick', 'Sandrine', 'Gilles', 'Nadège', 'Thierry', 'Josiane', 'Fabrice',
  'Maryse', 'Didier', 'Rosette', 'Olivier', 'Murielle', 'Franck', 'Ginette', 'Régis', 'Laetitia', 'Serge'];
const LAST = ['Bélise', 'Jean-Baptiste', 'Lacroix', 'Célestine', 'Bordelais', 'Dormoy', 'Faustin', 'Gérard', 'Hilaire', 'Larose',
  'Marcellin', 'Nestor', 'Pierre-Louis', 'Rosamond', 'Sainte-Rose', 'Thélier', 'Vainqueur', 'Zénon', 'Anselme', 'Calixte'];
const CITIES: [string, string][] = [['97122', 'Baie-Mahault'], ['97110', 'Pointe-à-Pitre'], ['97139', 'Les Abymes'], ['97190', 'Le Gosier'], ['97170', 'Petit-Bourg']];
/** Trunk behaviour digit (4th from the end) per contact, in a cycle of 20: mostly answered. */
const BEHAVIOUR = [0, 0, 0, 4, 0, 1, 0, 2, 0, 5, 0, 0, 0, 4, 0, 1, 0, 2, 0, 3];
const CONTACTS = 40;

const settings = (): DialerSettings => {
  const d = defaultDialerSettings('appointment');
  return {
    ...d,
    dialingMode: 'preview',
    callerId: CALLER_ID,
    script: {
      steps: [
        { kind: 'legal_opening', title: 'Présentation', text: 'Bonjour, je suis conseiller du centre de relation client Passerelle et je vous appelle pour le compte de Karukera Énergie, au sujet du remplacement de votre compteur.' },
        { kind: 'recording_notice', title: 'Enregistrement', text: 'Cet appel est susceptible d’être enregistré à des fins de qualité et de formation.' },
        { kind: 'step', title: 'Objet de l’appel', text: 'Karukera Énergie remplace les compteurs de votre quartier ; l’intervention dure environ 30 minutes et nécessite votre présence.' },
        { kind: 'step', title: 'Prise de rendez-vous', text: 'Proposer les créneaux disponibles, confirmer l’adresse et le canal (sur place ou par téléphone).' },
        { kind: 'closing', title: 'Conclusion', text: 'Reformuler le rendez-vous, remercier et prendre congé.' },
      ],
      objections: [{ objection: 'Je n’ai pas le temps.', answer: 'Je comprends ; l’intervention est courte et nous pouvons choisir le créneau qui vous convient le mieux.' }],
    },
  };
};

const SLOT_HOURS = [[9, 0], [10, 30], [14, 0]] as const;
const SLOTS_PER_DAY = SLOT_HOURS.length;
const SLOT_DAYS = 3;

/** Slots at 09:00, 10:30 and 14:00 site time on the next three working days. */
function slotTimes(timeZone: string, now = new Date()): Date[] {
  const today = localTime(now, timeZone);
  const out: Date[] = [];
  for (let i = 1; out.length < SLOT_DAYS * SLOT_HOURS.length; i++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + i, 12));
    if (day.getUTCDay() === 0) continue; // no Sunday slots
    for (const [h, m] of SLOT_HOURS) out.push(zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h * 60 + m, timeZone));
  }
  return out;
}

const demoCampaign: SeedModule = {
  name: `campagne de démonstration « ${DEMO_CAMPAIGN_NAME} »`,
  async run({ db, config, log }) {
    const partner = await db.selectFrom('partners').select('id').where('name', '=', DEMO_PARTNER.name).executeTakeFirstOrThrow();
    const existing = await db.selectFrom('campaigns').select('id').where('partnerId', '=', partner.id).where('name', '=', DEMO_CAMPAIGN_NAME).executeTakeFirst();
    if (existing) {
      log('déjà présente : inchangée');
      return;
    }

    const next = settings();
    const errors = settingsErrors('appointment', next);
    if (errors.length) throw new Error(`demo campaign settings rejected: ${errors.join(' ')}`);

    const vault = new Vault(db, config);
    const audit = new AuditService(db);
    const trainees = await db.selectFrom('users').select('id').where('role', '=', 'trainee').where('username', 'in', DEMO_USERS.filter((u) => u.role === 'trainee').map((u) => u.username)).execute();

    // One transaction: a failed run leaves no half-seeded campaign that the next run would skip.
    await db.transaction().execute(async (trx) => {
      // What CampaignService.create writes (the service itself pulls in the Fastify auth plugin).
      const id = await new CampaignRepository(db).insert(trx, {
        partnerId: partner.id,
        name: DEMO_CAMPAIGN_NAME,
        type: 'appointment',
        defaultRegion: 'GP',
        maskingPolicy: defaultMaskingPolicy,
        retentionDays: 365,
        legalBasisRequired: legalBasisRequiredFor('appointment'),
        createdBy: null,
      });
      await audit.record(SYSTEM, { action: 'campaign.create', targetType: 'campaign', targetId: id, details: { partnerId: partner.id, type: 'appointment' } }, trx);

      // What CampaignEngineService.updateSettings writes (it needs a live dialer, which the seed has not).
      await (trx as unknown as DialerDb)
        .updateTable('campaigns')
        .set({
          dialingMode: next.dialingMode,
          windows: JSON.stringify(next.windows),
          retryRules: JSON.stringify(next.retryRules),
          callerId: next.callerId,
          script: JSON.stringify(next.script),
          dispositions: JSON.stringify(next.dispositions),
          wrapUpSeconds: next.wrapUpSeconds,
          offerTtlSeconds: next.offerTtlSeconds,
          countdownSeconds: next.countdownSeconds,
          status: 'running',
          updatedAt: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await audit.record(SYSTEM, { action: 'campaign.settings_updated', targetType: 'campaign', targetId: id, details: { fields: Object.keys(next) } }, trx);
      await audit.record(SYSTEM, { action: 'campaign.status_changed', targetType: 'campaign', targetId: id, details: { from: 'draft', to: 'running', reason: 'démo' } }, trx);

      await trx.insertInto('campaignAgents').values(trainees.map((t) => ({ campaignId: id, userId: t.id }))).execute();
      await audit.record(SYSTEM, { action: 'campaign.trainees_assigned', targetType: 'campaign', targetId: id, details: { count: trainees.length } }, trx);

      const slots = slotTimes(DEMO_SITE.timeZone).map((startsAt, i) => ({
        partnerId: partner.id,
        campaignId: id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 60 * 60_000),
        channel: i % 3 === 2 ? ('phone' as const) : ('onsite' as const),
        place: i % 3 === 2 ? null : 'Agence Karukera Énergie, Baie-Mahault',
        capacity: 2,
      }));
      await trx.insertInto('appointmentSlots').values(slots).execute();
      await audit.record(SYSTEM, { action: 'campaign.slots_added', targetType: 'campaign', targetId: id, details: { count: slots.length } }, trx);

      const key = await vault.keyFor(id, trx);
      const rows = Array.from({ length: CONTACTS }, (_, i) => {
        const raw = `+59069000${BEHAVIOUR[i % BEHAVIOUR.length]}${String(i).padStart(3, '0')}`;
        const phone = normalizePhone(raw, 'GP');
        if (!phone.ok) throw new Error(`demo number ${raw} rejected: ${phone.reason}`);
        const [postalCode, city] = CITIES[i % CITIES.length]!;
        const pii = {
          firstName: FIRST[i % FIRST.length]!,
          lastName: LAST[(i * 7 + Math.floor(i / LAST.length)) % LAST.length]!,
          postalCode,
          city,
          customerRef: `KE-DEMO-${String(i + 1).padStart(4, '0')}`,
        };
        return {
          campaignId: id,
          partnerId: partner.id,
          ...sealContact(vault, key, [phone.e164], pii),
          territory: phone.territory,
          timeZone: phone.timeZone,
          language: 'fr',
          legalBasis: 'contract' as const,
          masked: JSON.stringify(maskedCard({ ...pii, phone: phone.e164 }, defaultMaskingPolicy)),
        };
      });
      await storeContacts(trx, rows);
    });
    log(`en cours, ${trainees.length} conseillers affectés, ${SLOTS_PER_DAY * SLOT_DAYS} créneaux, ${CONTACTS} contacts synthétiques (tronc simulé)`);
  },
};

export default demoCampaign;
