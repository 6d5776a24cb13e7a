import { myProgressFr } from '../features/progress/locales.ts';

/** Agent console strings (French, the reference). Keys are grouped by screen. */
export const agentFr = {
  agent: {
    consoleName: 'Poste conseiller',
    wrongRole: {
      title: 'Console réservée aux conseillers',
      body: 'Votre compte ({{role}}) utilise la console de supervision.',
      link: 'Ouvrir la console de supervision',
    },
    nav: { home: 'Accueil', progress: 'Ma progression' },
    user: 'Connecté en tant que {{name}}',
  },
  status: {
    label: 'État du poste',
    state: {
      offline: 'Hors ligne',
      ready: 'Prêt',
      offered: 'Appel proposé',
      dialing: 'Numérotation',
      ringing: 'Sonnerie',
      paused: 'En pause',
      in_call: 'En appel',
      wrap_up: 'Après-appel',
    },
    pauseReason: { pause: 'Pause', training: 'Formation', break: 'Pause repas', technical: 'Problème technique' },
    pausedWith: 'En pause — {{reason}}',
    pendingPause: 'Pause demandée après l’appel : {{reason}}',
    timer: 'Durée dans cet état',
    health: 'Santé de la connexion',
    item: { server: 'Serveur', sip: 'Téléphonie', audio: 'Casque' },
    level: { ok: 'OK', warning: 'Instable', down: 'Coupé', unknown: 'Non vérifié' },
    detail: {
      serverOk: 'Liaison avec le serveur établie.',
      serverDown: 'Liaison avec le serveur perdue : reconnexion automatique en cours. Si cela dure plus d’une minute, vérifiez le câble réseau et prévenez votre formateur.',
      sipUnknown: 'Téléphonie pas encore connectée.',
      audioUnknown: 'Casque et micro pas encore vérifiés.',
    },
  },
  home: {
    greeting: 'Bonjour, {{name}}',
    today: 'Nous sommes le {{date}}.',
    session: {
      title: 'Ma session',
      pseudonym: 'Pseudonyme',
      workstationBound: 'Session liée à ce poste',
      workstationBoundValue: 'oui — la connexion n’est possible que depuis la salle',
      idleLock: 'Verrouillage automatique',
      idleLockValue: 'après {{minutes}} min sans activité',
    },
    progress: {
      title: 'Ma progression',
      body: 'Vos évaluations par vos formateurs, compétence par compétence, et vos prochains objectifs.',
      open: 'Voir ma progression',
    },
    help: {
      title: 'Besoin d’aide ?',
      body: 'Un formateur est présent dans la salle. En cas de souci de poste ou de casque, levez la main ou prévenez-le.',
    },
  },
  progress: {
    title: 'Ma progression',
    intro: 'Retrouvez ici les évaluations publiées par vos formateurs (notes par compétence, commentaires, dates) et vos objectifs. Consultation seule.',
    empty: 'Aucune évaluation publiée pour le moment.',
    back: 'Retour à l’accueil',
  },
  myProgress: myProgressFr,
};
