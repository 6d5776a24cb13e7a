/** An error meant for the API client: stable code, HTTP status, French message. */
export class AppError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthorized = (message = 'Authentification requise.') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'Accès refusé.') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (what = 'Ressource') => new AppError(404, 'NOT_FOUND', `${what} introuvable.`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
