import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { creditCodeCheckCharacter } from '../../platform/certs/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import {
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  type Sm2PrivateKey,
} from '../../platform/crypto/index.ts';
import type { DepositsDb } from './context.ts';
import { findEntityOfOrganization } from './deps.ts';
import { signRequest } from './signing.ts';

/**
 * Test factory for other modules' tests (not exported from index.ts; production code may not import it):
 * a bidder pays a cash deposit for a lot the way a real one does — a virtual sub-account opened through the
 * responder API and a signed 到账通知 from the bank, from the bidder's 基本账户.
 *
 * Production code may not import test code, so the test platform (test/support/platform.ts) is described
 * here by the little the factory uses; pass `makeTestPlatform()`'s result.
 */
export interface DepositFactoryResponse {
  statusCode: number;
  body: string;
  json(): unknown;
}
export interface DepositFactoryClient {
  get(url: string): Promise<DepositFactoryResponse>;
  post(url: string, body?: unknown): Promise<DepositFactoryResponse>;
}
export interface DepositFactoryAccount {
  id: string;
  username: string;
  organizationId: string | null;
  roles: string[];
}
export interface DepositFactoryPlatform {
  db: Kysely<DepositsDb>;
  clock: Clock;
  app: { inject(opts: InjectOptions): Promise<DepositFactoryResponse> };
  makeAccount(roles: string[]): Promise<DepositFactoryAccount>;
  as(account: DepositFactoryAccount): Promise<DepositFactoryClient>;
}

/**
 * A bidder: what `makeAcceptedEntity` (projects test-factory) returns — `{ client, account: { organizationId } }` —
 * or anything with `{ client, organizationId }` (e.g. the auction factory's bidders).
 */
export interface DepositFactoryBidder {
  client: DepositFactoryClient;
  organizationId?: string | null;
  account?: { organizationId: string | null };
}

/** The test bank of a platform, registered once (per platform object). */
export interface TestBank {
  id: string;
  name: string;
  creditCode: string;
  key: Sm2PrivateKey;
}

const banks = new WeakMap<object, Promise<TestBank>>();

function newCreditCode(): string {
  const first17 = `91150100${randomBytes(5).toString('hex').toUpperCase()}`.slice(0, 17);
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/** Registers (once per platform) a test bank through the operator's API. */
export function testBank(p: DepositFactoryPlatform): Promise<TestBank> {
  let bank = banks.get(p);
  if (!bank) {
    bank = (async () => {
      const operator = await p.as(await p.makeAccount(['operator']));
      const key = generateSm2KeyPair();
      const name = `测试保证金银行_${randomBytes(4).toString('hex')}`;
      const creditCode = newCreditCode();
      const res = await operator.post('/api/admin/deposit-institutions', {
        name,
        kind: 'bank',
        creditCode,
        publicKeyPem: exportSm2PublicKeyPem(key.publicKey),
      });
      if (res.statusCode !== 201) throw new Error(`test bank not registered: ${res.body}`);
      return { id: (res.json() as { id: string }).id, name, creditCode, key };
    })();
    bank.catch(() => banks.delete(p));
    banks.set(p, bank);
  }
  return bank;
}

/** A request signed by the test bank, sent to the platform. */
export async function signedByBank(
  p: DepositFactoryPlatform,
  bank: TestBank,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<DepositFactoryResponse> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = signRequest(bank.key, { institutionId: bank.id, method, target: url, body: payload });
  return p.app.inject({
    method,
    url,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload }),
  });
}

export interface PaidTestDeposit {
  virtualAccount: string;
  transferId: string;
  /** 'accepted' when it counts; 'late' after the deadline; 'rejected-payer' when `payer` is not the 基本账户. */
  status: string;
}

/**
 * Registers (once per platform) a test bank, opens the bidder's virtual sub-account for the lot (or reuses the
 * one it has) and posts a signed transfer of `amountYuan` from the bidder's 基本账户, valued at the clock's now (or `valueAt`).
 * Throws when a step is refused (e.g. the account after the deadline); a transfer that does not count
 * (late, wrong payer) comes back with its status.
 */
export async function payTestDeposit(
  p: DepositFactoryPlatform,
  input: {
    lotId: string;
    bidder: DepositFactoryBidder;
    amountYuan: string;
    valueAt?: Date;
    /** Pay from another account than the bidder's 基本账户. */
    payer?: { accountNumber: string; accountName: string; bankName: string };
  },
): Promise<PaidTestDeposit> {
  const organizationId = input.bidder.organizationId ?? input.bidder.account?.organizationId;
  if (!organizationId) throw new Error('payTestDeposit: the bidder has no organisation');
  const bank = await testBank(p);
  // An account opened before (a second payment, or after the deadline) is reused.
  const mine = await input.bidder.client.get(`/api/lots/${input.lotId}/my-deposit`);
  let virtualAccount =
    mine.statusCode === 200
      ? ((mine.json() as { account: { virtualAccount: string } | null }).account?.virtualAccount ?? null)
      : null;
  if (!virtualAccount) {
    const opened = await input.bidder.client.post(`/api/lots/${input.lotId}/my-deposit/account`, {
      institutionId: bank.id,
    });
    if (opened.statusCode !== 200) throw new Error(`virtual account not opened: ${opened.body}`);
    virtualAccount = (opened.json() as { virtualAccount: string }).virtualAccount;
  }
  let payer = input.payer;
  if (!payer) {
    const entity = await findEntityOfOrganization(p.db, organizationId);
    if (!entity) throw new Error(`payTestDeposit: no entity for organisation ${organizationId}`);
    payer = entity.basicAccount;
  }
  const res = await signedByBank(p, bank, 'POST', '/api/institution/transfers', {
    virtualAccount,
    amountYuan: input.amountYuan,
    payerAccountNumber: payer.accountNumber,
    payerAccountName: payer.accountName,
    payerBankName: payer.bankName,
    bankTransferId: `TX_${randomBytes(8).toString('hex')}`,
    valueTime: (input.valueAt ?? p.clock.now()).toISOString(),
  });
  if (res.statusCode !== 200) throw new Error(`transfer not recorded: ${res.body}`);
  const r = res.json() as { transferId: string; status: string };
  return { virtualAccount, transferId: r.transferId, status: r.status };
}
