import type { ColumnType, Generated } from 'kysely';
import type { Role } from './roles.ts';

/** 组织 — the minimal organisation the kernel knows; the service system's entity registry extends it. */
export interface OrganizationsTable {
  id: string;
  name: string;
  credit_code: string | null; // 统一社会信用代码
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** 账号 */
export interface AccountsTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string | null;
  roles: Role[];
  organization_id: string | null;
  status: 'active' | 'disabled';
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** 会话 — server-side and revocable; only a hash of the token is stored. */
export interface SessionsTable {
  id: string;
  account_id: string;
  token_hash: string;
  kind: 'cookie' | 'bearer';
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

/** 授权 — a per-object grant, e.g. this agency acts for this initiator's project. */
export interface GrantsTable {
  id: Generated<number>;
  subject_type: 'account' | 'organization';
  subject_id: string;
  relation: string;
  object_type: string;
  object_id: string;
  granted_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

export interface IdentityTables {
  organizations: OrganizationsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  grants: GrantsTable;
}
