import { createHmac } from 'node:crypto';

/** Lifetime of agent SIP credentials: a working shift; re-issued on each console load. */
export const SIP_CREDENTIAL_LIFETIME_S = 8 * 3600;
/** Trainers' and admins' lines (practice calls only): shorter, re-issued by the softphone. */
export const SIP_STAFF_CREDENTIAL_LIFETIME_S = 3600;

export interface SipCredentials {
  /** auth_ephemeral username "<expiry unix seconds>:<userId>". */
  username: string;
  password: string;
  expiresAt: Date;
}

/**
 * auth_ephemeral credentials (Kamailio checks them with the same secret): the password is
 * base64(HMAC-SHA1(secret, username)), valid until the expiry embedded in the username.
 */
export function sipCredentials(secret: string, userId: string, now: Date, lifetimeS = SIP_CREDENTIAL_LIFETIME_S): SipCredentials {
  const expiry = Math.floor(now.getTime() / 1000) + lifetimeS;
  const username = `${expiry}:${userId}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expiresAt: new Date(expiry * 1000) };
}
