import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../platform/clock/index.ts';
import {
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  type Sm2PrivateKey,
} from '../platform/crypto/index.ts';
import type { HttpServer } from '../platform/http/index.ts';
import { signRequest } from '../trading/deposits/index.ts';
import type { DemoPeople } from './demo-client.ts';

/**
 * 演示银行 — a demo bank registered like any institution (its SM2 key under `<data>/simulators/bank/`, the
 * layout `tools/bank-simulator.ts --dir` reads, so the simulator can go on where the seed stopped), and
 * toubiao1's 投标保证金 for the demo building lot paid through it: a virtual sub-account requested by the
 * bidder, then the bank's signed 到账通知 of a transfer from the bidder's 基本账户. The platform checks it
 * exactly as it checks a real bank's.
 */
export const DEMO_BANK = {
  name: '演示银行（仅供演示和测试）',
  creditCode: '91150000MA00000B1G',
};

interface InstitutionView {
  id: string;
  creditCode: string;
}

async function bankKey(dir: string): Promise<Sm2PrivateKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'key.pem');
  try {
    return importSm2PrivateKeyPem(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = generateSm2KeyPair();
  await writeFile(file, exportSm2PrivateKeyPem(key), { mode: 0o600 });
  return key;
}

export async function seedDemoDeposits(
  deps: { app: HttpServer; dataDir: string; clock: Clock },
  people: DemoPeople,
  input: { lotId: string; payer: { accountNumber: string; accountName: string; bankName: string } },
): Promise<void> {
  const dir = path.join(deps.dataDir, 'simulators', 'bank');
  const key = await bankKey(dir);
  const { items } = await people.admin.get<{ items: InstitutionView[] }>('/api/admin/deposit-institutions');
  const bank =
    items.find((i) => i.creditCode === DEMO_BANK.creditCode) ??
    (await people.admin.post<InstitutionView>('/api/admin/deposit-institutions', {
      name: DEMO_BANK.name,
      kind: 'bank',
      creditCode: DEMO_BANK.creditCode,
      publicKeyPem: exportSm2PublicKeyPem(key.publicKey),
    }));
  await writeFile(path.join(dir, 'institution.json'), `${JSON.stringify({ id: bank.id }, null, 2)}\n`);

  const deposit = await people.toubiao1.get<{ status: { satisfied: boolean } }>(
    `/api/lots/${input.lotId}/my-deposit`,
  );
  if (deposit.status.satisfied) return;
  const account = await people.toubiao1.post<{ virtualAccount: string }>(
    `/api/lots/${input.lotId}/my-deposit/account`,
    { institutionId: bank.id },
  );
  const target = '/api/institution/transfers';
  const body = JSON.stringify({
    virtualAccount: account.virtualAccount,
    amountYuan: '80000.00',
    payerAccountNumber: input.payer.accountNumber,
    payerAccountName: input.payer.accountName,
    payerBankName: input.payer.bankName,
    bankTransferId: `DEMO-${input.lotId.slice(0, 8)}-1`,
    valueTime: deps.clock.now().toISOString(),
  });
  const res = await deps.app.inject({
    method: 'POST',
    url: target,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ggzy demo seed (demo bank)',
      ...signRequest(key, { institutionId: bank.id, method: 'POST', target, body }),
    },
    payload: body,
  });
  if (res.statusCode !== 200 && res.statusCode !== 201)
    throw new Error(`demo bank transfer refused: ${res.statusCode} ${res.body}`);
}
