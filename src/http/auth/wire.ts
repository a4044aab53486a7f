/** JSON shapes of users and tokens on the wire (snake_case, epoch milliseconds, like MLflow). */
import { z } from 'zod';
import type { TokenView, UserView } from '../../auth/index.js';

export const userOut = z.object({
  name: z.string(),
  role: z.enum(['admin', 'member', 'viewer']),
  disabled: z.boolean(),
  created_at: z.number(),
  updated_at: z.number(),
});

export const tokenOut = z.object({
  token_id: z.string(),
  name: z.string(),
  user: z.string(),
  created_at: z.number(),
  expires_at: z.number().nullable(),
  revoked_at: z.number().nullable(),
  last_used_at: z.number().nullable(),
});

export const role = z.enum(['admin', 'member', 'viewer']);

export function encodeUser(user: UserView): z.infer<typeof userOut> {
  return { name: user.name, role: user.role, disabled: user.disabled, created_at: user.createdAt, updated_at: user.updatedAt };
}

export function encodeToken(token: TokenView): z.infer<typeof tokenOut> {
  return {
    token_id: token.tokenId,
    name: token.name,
    user: token.userName,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    revoked_at: token.revokedAt,
    last_used_at: token.lastUsedAt,
  };
}
