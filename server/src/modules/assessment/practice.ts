import type { Insertable, Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import type { PracticeCallsTable, Scenario } from './tables.ts';

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

export async function assertTrainee(db: Db, id: string): Promise<void> {
  const u = await db.selectFrom('users').select('role').where('id', '=', id).executeTakeFirst();
  if (u?.role !== 'trainee') throw badRequest('NOT_A_TRAINEE', 'La mise en situation doit concerner un stagiaire.');
}

/** A practice record by the actor (written by hand, or a live call's invitation), audited as `action`. */
export async function insertPracticeCall(
  trx: Transaction<Database>,
  audit: AuditService,
  actor: AuditActor & { userId: string },
  action: string,
  retentionDays: number,
  values: Omit<Insertable<PracticeCallsTable>, 'trainerId' | 'deleteAfter'> & { traineeId: string; scenario: Scenario },
): Promise<string> {
  const row = await trx
    .insertInto('practiceCalls')
    .values({ ...values, trainerId: actor.userId, deleteAfter: new Date(Date.now() + retentionDays * DAY_MS) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit.record(actor, { action, targetType: 'practice_call', targetId: row.id, details: { traineeId: values.traineeId, scenario: values.scenario } }, trx);
  return row.id;
}

/** Clock skew tolerated between the trainer's machine and the server. */
const SKEW_MS = 5 * 60_000;

/** A practice call recorded by hand (it feeds the certification portfolio): it happened, and ended after it started. */
function checkTimes(startedAt: Date, endedAt: Date | null): void {
  const latest = Date.now() + SKEW_MS;
  if (startedAt.getTime() > latest || (endedAt && endedAt.getTime() > latest)) {
    throw badRequest('INVALID_TIMES', 'Une mise en situation ne peut pas être datée dans le futur.');
  }
  if (endedAt && endedAt.getTime() < startedAt.getTime()) throw badRequest('INVALID_TIMES', 'La fin de la mise en situation doit suivre son début.');
}

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
      .select([
        'practiceCalls.id',
        'traineeId',
        'users.displayName as traineeName',
        'trainerId',
        'scenario',
        'recordingId',
        'startedAt',
        'endedAt',
        'notes',
        'status',
        'inviteExpiresAt',
        'answeredAt',
        'hungUpBy',
        'recordingStatus',
      ]);
  }

  async get(id: string, siteId: string | null = null) {
    let q = this.select().where('practiceCalls.id', '=', id);
    if (siteId) q = q.where('users.siteId', '=', siteId);
    const row = await q.executeTakeFirst();
    if (!row) throw notFound('Mise en situation');
    return row;
  }

  async list(traineeId: string | undefined, siteId: string | null) {
    let q = this.select();
    if (traineeId) q = q.where('traineeId', '=', traineeId);
    if (siteId) q = q.where('users.siteId', '=', siteId);
    return q.orderBy('startedAt', 'desc').limit(200).execute();
  }

  async create(actor: AuditActor & { userId: string }, input: { traineeId: string; scenario: Scenario; recordingId: string | null; startedAt?: Date | undefined; endedAt: Date | null; notes: string }) {
    await assertTrainee(this.db, input.traineeId);
    checkTimes(input.startedAt ?? new Date(), input.endedAt);
    const id = await this.db.transaction().execute((trx) =>
      insertPracticeCall(trx, this.audit, actor, 'practice_call.create', this.retentionDays, {
        traineeId: input.traineeId,
        scenario: input.scenario,
        recordingId: input.recordingId,
        ...(input.startedAt ? { startedAt: input.startedAt } : {}),
        endedAt: input.endedAt,
        notes: input.notes,
      }),
    );
    return this.get(id);
  }

  async update(actor: AuditActor & { userId: string }, id: string, patch: { recordingId?: string | null | undefined; endedAt?: Date | null | undefined; notes?: string | undefined }) {
    const current = await this.get(id);
    if (patch.endedAt !== undefined) checkTimes(current.startedAt, patch.endedAt);
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
