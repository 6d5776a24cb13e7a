import { hash, verify, type Options } from '@node-rs/argon2';

// 2 = Argon2id (the package's enum is a const enum, not importable here).
const options: Options = { algorithm: 2 as NonNullable<Options['algorithm']>, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verified when the username is unknown, so a miss costs as long as a wrong password. */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword('decoy-password-never-valid'));

/** Minimal policy: long enough; the rest is the establishment's rules. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'Le mot de passe doit contenir au moins 10 caractères.';
  if (password.length > 256) return 'Le mot de passe est trop long.';
  return null;
}
