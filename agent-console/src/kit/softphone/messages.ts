/**
 * French message for every way a call or a registration can fail (JsSIP causes, plus the SIP
 * codes our proxy uses for refusals). The trainee sees these, never a raw cause.
 */
const BY_CAUSE: Record<string, string> = {
  'Connection Error': 'Connexion au serveur téléphonique impossible. Vérifiez le réseau.',
  'Request Timeout': 'Le serveur téléphonique ne répond pas. Réessayez dans un instant.',
  'SIP Failure Code': 'L’appel a échoué (erreur de l’opérateur).',
  'Internal Error': 'Erreur interne du téléphone. Rechargez la page.',
  Busy: 'Le correspondant est occupé.',
  Rejected: 'Le correspondant a refusé l’appel.',
  Redirected: 'L’appel a été redirigé ; ce n’est pas autorisé.',
  Unavailable: 'Le correspondant ne répond pas ou n’est pas joignable.',
  'Not Found': 'Appel inconnu : la proposition a expiré ou ne vous est pas destinée.',
  'Address Incomplete': 'Adresse d’appel incomplète.',
  'Incompatible SDP': 'Problème audio : le navigateur et l’opérateur ne s’accordent pas sur le son.',
  'Missing SDP': 'Problème audio : description du son manquante.',
  'Bad Media Description': 'Problème audio : description du son refusée par le navigateur.',
  'Authentication Error': 'Identifiants téléphoniques refusés. Reconnectez-vous à la console.',
  Terminated: 'Appel terminé.',
  'WebRTC Error': 'Erreur audio du navigateur. Rechargez la page.',
  Canceled: 'Appel annulé.',
  'No Answer': 'Pas de réponse.',
  Expires: 'Délai dépassé.',
  'No ACK': 'Erreur de signalisation de l’appel.',
  'Dialog Error': 'Erreur de signalisation de l’appel.',
  'User Denied Media Access': 'Accès au micro refusé : autorisez le micro dans le navigateur.',
  'RTP Timeout': 'Plus aucun son reçu : l’appel a été coupé.',
};

/** Codes whose meaning on our proxy is more precise than JsSIP's cause. */
const BY_CODE: Record<number, string> = {
  403: 'Appel refusé : cette proposition ne peut plus être appelée (déjà utilisée, expirée ou hors des règles d’appel).',
  404: 'Appel inconnu : la proposition a expiré ou ne vous est pas destinée.',
  408: 'Le correspondant ne répond pas.',
  480: 'Le correspondant ne répond pas ou n’est pas joignable.',
  486: 'Le correspondant est occupé.',
  487: 'Appel annulé.',
  503: 'Service téléphonique momentanément indisponible. Réessayez.',
  603: 'Le correspondant a refusé l’appel.',
};

export const UNKNOWN_FAILURE = 'L’appel a échoué pour une raison inconnue.';

export function failureMessage(cause: string | undefined, sipCode?: number): string {
  if (sipCode !== undefined && BY_CODE[sipCode]) return BY_CODE[sipCode];
  return (cause && BY_CAUSE[cause]) || UNKNOWN_FAILURE;
}

export function registrationMessage(cause: string | undefined, sipCode?: number): string {
  if (sipCode === 401 || sipCode === 403 || cause === 'Authentication Error' || cause === 'Rejected') {
    return 'Le téléphone n’a pas pu s’enregistrer : identifiants refusés. Reconnectez-vous à la console.';
  }
  return `Le téléphone n’a pas pu s’enregistrer. ${failureMessage(cause, sipCode)}`;
}
