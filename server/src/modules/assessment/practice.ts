import type { Db } from '../../db/database.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import type { Scenario } from './tables.ts';

const DAY_MS = 86_400_000;

/** Scenario cards for role plays (mises en situation): the trainer plays the customer. */
export const scenarioCards: { id: Scenario; title: string; context: string; customerRole: string; objectives: string[]; pitfalls: string[] }[] = [
  {
    id: 'appointment',
    title: 'Prise de rendez-vous',
    context: 'Appel sortant pour proposer un rendez-vous de bilan gratuit avec un conseiller du partenaire.',
    customerRole: 'Client disponible mais pressé, hésite entre deux créneaux, demande s’il devra payer quelque chose.',
    objectives: ['Mentions d’ouverture et information sur l’enregistrement', 'Découvrir les disponibilités', 'Fixer un créneau et le récapituler'],
    pitfalls: ['Oublier de dire pour quelle entreprise on appelle', 'Proposer trop de créneaux à la fois'],
  },
  {
    id: 'loyalty',
    title: 'Fidélisation',
    context: 'Client dont le contrat arrive à échéance : présenter l’offre de renouvellement.',
    customerRole: 'Client satisfait mais sollicité par un concurrent moins cher ; objection prix.',
    objectives: ['Reformuler les attentes', 'Argumenter par les avantages', 'Traiter l’objection prix sans dénigrer'],
    pitfalls: ['Insister après un refus clair', 'Réciter l’argumentaire sans écouter'],
  },
  {
    id: 'after_sales',
    title: 'Service après-vente',
    context: 'Rappel d’un client après une réclamation sur une livraison en retard.',
    customerRole: 'Client agacé, veut une date ferme et un geste commercial.',
    objectives: ['Écoute active et empathie', 'Solution concrète et délai réaliste', 'Qualification exacte du ticket'],
    pitfalls: ['Promettre ce que le partenaire ne peut pas tenir', 'Oublier de tracer la demande'],
  },
  {
    id: 'difficult_customer',
    title: 'Client difficile',
    context: 'Appel de suivi auprès d’un client qui devient agressif dès l’ouverture.',
    customerRole: 'Client qui coupe la parole, hausse le ton, menace de porter plainte.',
    objectives: ['Garder son calme et un ton courtois', 'Recentrer l’échange', 'Poser une limite et conclure proprement'],
    pitfalls: ['Répondre sur le même ton', 'Se justifier longuement'],
  },
];

export class PracticeCalls {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly retentionDays: number,
  ) {}

  private select() {
    return this.db
      .selectFrom('practiceCalls')
      .innerJoin('users', 'users.id', 'practiceCalls.traineeId')
      .select(['practiceCalls.id', 'traineeId', 'users.displayName as traineeName', 'trainerId', 'scenario', 'recordingId', 'startedAt', 'endedAt', 'notes']);
  }

  async get(id: string) {
    const row = await this.select().where('practiceCalls.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Mise en situation');
    return row;
  }

  async list(traineeId: string | undefined, siteId: string | null) {
    let q = this.select();
    if (traineeId) q = q.where('traineeId', '=', traineeId);
    if (siteId) q = q.where('users.siteId', '=', siteId);
    return q.orderBy('startedAt', 'desc').limit(200).execute();
  }

  private async assertTrainee(id: string) {
    const u = await this.db.selectFrom('users').select('role').where('id', '=', id).executeTakeFirst();
    if (u?.role !== 'trainee') throw badRequest('NOT_A_TRAINEE', 'La mise en situation doit concerner un stagiaire.');
  }

  async create(actor: AuditActor & { userId: string }, input: { traineeId: string; scenario: Scenario; recordingId: string | null; startedAt?: Date | undefined; endedAt: Date | null; notes: string }) {
    await this.assertTrainee(input.traineeId);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('practiceCalls')
        .values({
          traineeId: input.traineeId,
          trainerId: actor.userId,
          scenario: input.scenario,
          recordingId: input.recordingId,
          ...(input.startedAt ? { startedAt: input.startedAt } : {}),
          endedAt: input.endedAt,
          notes: input.notes,
          deleteAfter: new Date(Date.now() + this.retentionDays * DAY_MS),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.record(actor, { action: 'practice_call.create', targetType: 'practice_call', targetId: row.id, details: { traineeId: input.traineeId, scenario: input.scenario } }, trx);
      return row.id;
    });
    return this.get(id);
  }

  async update(actor: AuditActor & { userId: string }, id: string, patch: { recordingId?: string | null | undefined; endedAt?: Date | null | undefined; notes?: string | undefined }) {
    await this.get(id);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('practiceCalls')
        .set({
          ...(patch.recordingId !== undefined ? { recordingId: patch.recordingId } : {}),
          ...(patch.endedAt !== undefined ? { endedAt: patch.endedAt } : {}),
          ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        })
        .where('id', '=', id)
        .execute();
      await this.audit.record(actor, { action: 'practice_call.update', targetType: 'practice_call', targetId: id, details: { fields: Object.keys(patch) } }, trx);
    });
    return this.get(id);
  }
}
