import { sql, type Kysely } from 'kysely';

// Version 1 of the default grid, frozen here: later versions are new rows made in the console.
const scale = [
  { value: 1, label: 'Non acquis', descriptor: 'Attendu absent ou incorrect ; l’appel en pâtit.' },
  { value: 2, label: 'En cours d’acquisition', descriptor: 'Attendu partiel ou maladroit ; des oublis ou hésitations notables.' },
  { value: 3, label: 'Acquis', descriptor: 'Attendu réalisé correctement, conforme aux consignes.' },
  { value: 4, label: 'Maîtrisé', descriptor: 'Attendu réalisé avec aisance, adapté à l’interlocuteur ; peut servir d’exemple.' },
];

const k = (id: string, label: string, description: string, weight: number, extra: { critical?: boolean; allowNa?: boolean; descriptors?: Record<string, string> } = {}) => ({
  id,
  label,
  description,
  weight,
  critical: extra.critical ?? false,
  allowNa: extra.allowNa ?? false,
  descriptors: extra.descriptors ?? {},
});

const grid = {
  blocks: [
    { code: 'CCP1', label: 'Assurer des prestations de services et de conseil en relation client à distance' },
    { code: 'CCP2', label: 'Réaliser des actions commerciales en relation client à distance' },
  ],
  scale,
  passScore: 2.5,
  // A missed critical item (legal opening, recording notice) caps the competency and the
  // overall score at 2 (« En cours d’acquisition »), below the pass score.
  critical: { threshold: 3, cap: 2 },
  competencies: [
    {
      id: 'ouverture',
      block: 'CCP1',
      label: 'Ouvrir l’appel et représenter l’entreprise',
      weight: 2,
      criteria: [
        k('accueil_presentation', 'Accueil et présentation', 'Salutation, ton souriant, présentation claire et vérification de l’interlocuteur.', 2),
        k('mentions_ouverture', 'Mentions légales d’ouverture', 'Dit qui appelle, pour le compte de quelle entreprise et pourquoi.', 2, {
          critical: true,
          descriptors: { '1': 'Une mention au moins manque (qui, pour qui ou pourquoi).', '2': 'Mentions données mais confuses ou incomplètes.', '3': 'Qui, pour qui et pourquoi dits clairement.', '4': 'Mentions claires et naturellement intégrées à l’accroche.' },
        }),
        k('mention_enregistrement', 'Information sur l’enregistrement', 'Informe l’interlocuteur que l’appel peut être enregistré.', 1, {
          critical: true,
          descriptors: { '1': 'Information absente.', '2': 'Information tardive ou inaudible.', '3': 'Information donnée en début d’appel.', '4': 'Information donnée clairement, avec la possibilité de s’y opposer.' },
        }),
        k('respect_script', 'Respect du script et des consignes', 'Suit les étapes du script de la campagne sans réciter, respecte les consignes du partenaire.', 1),
      ],
    },
    {
      id: 'traitement_demande',
      block: 'CCP1',
      label: 'Traiter la demande et conseiller',
      weight: 3,
      criteria: [
        k('decouverte_besoin', 'Découverte du besoin', 'Questions ouvertes puis fermées, écoute active, recueil des informations utiles.', 3),
        k('reformulation', 'Reformulation', 'Reformule la demande ou le besoin et fait valider sa compréhension.', 2),
        k('maitrise_outils', 'Maîtrise des outils', 'Utilise la fiche contact, l’agenda et le formulaire sans temps mort ni erreur.', 1),
        k('tracabilite', 'Traçabilité (saisie de la qualification)', 'Qualifie l’appel exactement (résultat, rappel, commentaire utile) dans le temps imparti.', 1),
      ],
    },
    {
      id: 'situations_difficiles',
      block: 'CCP1',
      label: 'Gérer les situations difficiles',
      weight: 1,
      criteria: [
        k('gestion_situations_difficiles', 'Gestion des situations difficiles', 'Reste courtois et calme face à l’agacement ou l’agressivité, désamorce, pose des limites, passe la main si besoin.', 1, {
          allowNa: true,
        }),
      ],
    },
    {
      id: 'action_commerciale',
      block: 'CCP2',
      label: 'Argumenter et traiter les objections',
      weight: 2,
      criteria: [
        k('argumentation', 'Argumentation', 'Présente l’offre en avantages adaptés au besoin découvert (caractéristique → avantage → preuve).', 2),
        k('traitement_objections', 'Traitement des objections', 'Accueille l’objection, la questionne et y répond sans insister au-delà du refus.', 2, { allowNa: true }),
      ],
    },
    {
      id: 'conclusion',
      block: 'CCP2',
      label: 'Conclure et prendre congé',
      weight: 2,
      criteria: [
        k('prise_rdv_conclusion', 'Prise de rendez-vous / conclusion', 'Propose un créneau ou une suite concrète, obtient un accord clair et le récapitule.', 2),
        k('prise_conge', 'Prise de congé', 'Récapitule, remercie, laisse une image positive et raccroche après le client.', 1),
      ],
    },
    {
      id: 'communication',
      block: 'CCP2',
      label: 'Communiquer à distance',
      weight: 1,
      criteria: [
        k('qualite_expression', 'Qualité de l’expression', 'Articulation, débit, vocabulaire professionnel, langage positif, silences maîtrisés.', 1),
      ],
    },
  ],
  commentFields: [
    { id: 'points_forts', label: 'Points forts' },
    { id: 'axes_progres', label: 'Axes de progrès' },
    { id: 'objectifs', label: 'Objectifs pour les prochains appels' },
  ],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into scorecards (family_id, version, name, description, grid, is_default)
    values (gen_random_uuid(), 1, 'Grille CRCD (RNCP35304)',
      'Grille par défaut du titre Conseiller relation client à distance : CCP1 et CCP2.',
      ${JSON.stringify(grid)}::jsonb, true)`.execute(db);
}
