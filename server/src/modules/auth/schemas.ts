import { z } from 'zod';
import { roles } from '@passerelle/shared/roles';

export const loginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(256),
});

export const sessionUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  siteId: z.uuid().nullable(),
  partnerId: z.uuid().nullable(),
  locale: z.string(),
});

export const sessionReply = z.object({
  user: sessionUser,
  csrfToken: z.string(),
  idleTimeoutSeconds: z.number().int(),
});
