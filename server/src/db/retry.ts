/** PostgreSQL broke a deadlock by aborting this transaction (SQLSTATE 40P01). */
export const isDeadlock = (err: unknown): boolean => (err as { code?: string } | null)?.code === '40P01';

/**
 * Runs `fn` again when PostgreSQL aborted it to break a deadlock. A dial locks a call's token and
 * attempt before the trainee; a trainee's action locks the trainee first: when both meet on the
 * same offer one is aborted (after deadlock_timeout), and its retry sees what the other did.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDeadlock(err) || attempt >= tries) throw err;
    }
  }
}
