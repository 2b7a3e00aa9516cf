/**
 * DEV TOOL — a bank simulator (银行模拟器) for trying the deposit flow without a real bank. It talks to the
 * platform's real API over HTTP with SM2-signed requests, as a bank's system would; nothing inside the
 * platform knows it is a simulator.
 *
 *   node --import tsx tools/bank-simulator.ts register --server http://localhost:3000 [--name …] [--credit-code …]
 *        [--username operator --password …]     (without a login it prints what the operator must enter)
 *   node --import tsx tools/bank-simulator.ts use --id <institutionId>
 *   node --import tsx tools/bank-simulator.ts pay --virtual-account … --amount 80000 --from-account …
 *        --from-name … [--from-bank …] [--transfer-id …] [--value-time ISO]
 *   node --import tsx tools/bank-simulator.ts refunds [--execute]
 *
 * Options everywhere: --server (or GGZY_SERVER, default http://localhost:3000), --dir (key and id; default
 * .tmp/bank-simulator).
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  type InstitutionState,
  loadState,
  parseFlags,
  publicKeyPem,
  registerWithOperator,
  required,
  saveInstitutionId,
  signedFetch,
} from './institution-client.ts';

export interface PayInput {
  virtualAccount: string;
  amountYuan: string;
  fromAccount: string;
  fromName: string;
  fromBank?: string;
  transferId?: string;
  valueTime?: string;
}

export function pay(server: string, state: InstitutionState, input: PayInput) {
  return signedFetch(server, state, 'POST', '/api/institution/transfers', {
    virtualAccount: input.virtualAccount,
    amountYuan: input.amountYuan,
    payerAccountNumber: input.fromAccount,
    payerAccountName: input.fromName,
    payerBankName: input.fromBank ?? '模拟银行',
    bankTransferId: input.transferId ?? `SIM${Date.now()}${randomBytes(3).toString('hex')}`,
    valueTime: input.valueTime ?? new Date().toISOString(),
  });
}

export interface PendingInstruction {
  id: string;
  kind: string;
  totalYuan: string;
  payee: { accountNumber: string; accountName: string; bankName: string } | null;
  dueAt: string;
}

export async function listRefunds(server: string, state: InstitutionState): Promise<PendingInstruction[]> {
  const res = await signedFetch(server, state, 'GET', '/api/institution/refund-instructions');
  if (res.status !== 200)
    throw new Error(`refund instructions refused: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { items: PendingInstruction[] }).items;
}

/** Executes (in this simulation: pretends to pay) and confirms each pending instruction. */
export async function executeRefunds(server: string, state: InstitutionState): Promise<string[]> {
  const done: string[] = [];
  for (const instruction of await listRefunds(server, state)) {
    const res = await signedFetch(
      server,
      state,
      'POST',
      `/api/institution/refund-instructions/${instruction.id}/executed`,
      {
        bankReference: `SIMRF${Date.now()}${randomBytes(2).toString('hex')}`,
      },
    );
    if (res.status !== 200)
      throw new Error(`confirmation refused: ${res.status} ${JSON.stringify(res.body)}`);
    done.push(instruction.id);
  }
  return done;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = parseFlags(rest);
  const server = flags.server ?? process.env.GGZY_SERVER ?? 'http://localhost:3000';
  const state = await loadState(flags.dir ?? '.tmp/bank-simulator');
  const out = (value: unknown) =>
    process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
  switch (command) {
    case 'register': {
      const name = flags.name ?? '模拟银行股份有限公司（开发测试）';
      const creditCode = flags['credit-code'] ?? '91150100MA0000BK1C';
      if (flags.username && flags.password) {
        const id = await registerWithOperator(server, state, {
          username: flags.username,
          password: flags.password,
          name,
          kind: 'bank',
          creditCode,
        });
        out(`已登记，机构编号 ${id}（保存在 ${state.dir}/institution.json）`);
      } else {
        out(
          `请交易中心工作人员在“金融机构管理”中登记：\n名称：${name}\n类型：银行\n统一社会信用代码：${creditCode}\nSM2 公钥：\n${publicKeyPem(state)}`,
        );
        out(`登记后运行：node --import tsx tools/bank-simulator.ts use --id <机构编号>`);
      }
      return 0;
    }
    case 'use':
      await saveInstitutionId(state, required(flags, 'id'));
      out(`机构编号已保存：${state.institutionId}`);
      return 0;
    case 'pay': {
      const res = await pay(server, state, {
        virtualAccount: required(flags, 'virtual-account'),
        amountYuan: required(flags, 'amount'),
        fromAccount: required(flags, 'from-account'),
        fromName: required(flags, 'from-name'),
        ...(flags['from-bank'] ? { fromBank: flags['from-bank'] } : {}),
        ...(flags['transfer-id'] ? { transferId: flags['transfer-id'] } : {}),
        ...(flags['value-time'] ? { valueTime: flags['value-time'] } : {}),
      });
      out(res.body);
      return res.status === 200 ? 0 : 1;
    }
    case 'refunds': {
      const pending = await listRefunds(server, state);
      out(pending);
      if (flags.execute) out({ executed: await executeRefunds(server, state) });
      return 0;
    }
    default:
      out('用法：bank-simulator.ts register|use|pay|refunds [选项]（见文件头注释）');
      return command ? 1 : 0;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
