import { z } from 'zod';
import { ROLES } from './roles.ts';

export const RoleSchema = z.enum(ROLES);

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** `bearer` returns the token in the body for API clients; the browser gets an httpOnly cookie. */
  tokenKind: z.enum(['cookie', 'bearer']).default('cookie'),
});

export const AccountView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  organization: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
});

export const LoginResponse = z.object({
  account: AccountView,
  expiresAt: z.string(),
  token: z.string().optional(),
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const CreateAccountBody = z.strictObject({
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(100),
  password: z.string().min(1).max(256),
  roles: z.array(z.string()).min(1).max(7),
  organizationId: z.string().min(1).max(64).nullable().optional(),
});

export const AccountListItem = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  status: z.enum(['active', 'disabled']),
  organization: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  createdAt: z.string(),
});

export const AccountIdParams = z.strictObject({ accountId: z.string().min(1).max(64) });
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
