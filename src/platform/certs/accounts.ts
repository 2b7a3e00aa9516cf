import type { Db } from '../db/index.ts';
import {
  findAccountById,
  findAccountByUsername,
  findOrganizationById,
  type IdentityTables,
} from '../identity/index.ts';

/** The account a binding speaks for, with its organisation's name and 统一社会信用代码. */
export interface HolderAccount {
  id: string;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  organizationId: string | null;
  organizationName: string | null;
  /** organizations.credit_code, compared with the code in the certificate. */
  creditCode: string | null;
}

/** Read through identity's exported records: this part never queries identity's tables itself. */
export async function findHolderAccount(
  db: Db<IdentityTables>,
  by: { accountId: string } | { username: string },
): Promise<HolderAccount | undefined> {
  const account =
    'accountId' in by
      ? await findAccountById(db, by.accountId)
      : await findAccountByUsername(db, by.username);
  if (!account) return undefined;
  const organization = account.organizationId
    ? await findOrganizationById(db, account.organizationId)
    : undefined;
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    status: account.status,
    organizationId: account.organizationId,
    organizationName: organization?.name ?? null,
    creditCode: organization?.creditCode ?? null,
  };
}
