/**
 * DEV TOOL — a guarantee institution simulator (担保机构模拟器). It issues 电子保函 through the platform's real
 * API with SM2-signed requests and signs each guarantee's canonical JSON with its own key, as a real
 * guarantor's system would.
 *
 *   node --import tsx tools/guarantor-simulator.ts register --server … [--kind guarantor|insurer|bank]
 *        [--name …] [--credit-code …] [--username operator --password …]
 *   node --import tsx tools/guarantor-simulator.ts use --id <institutionId>
 *   node --import tsx tools/guarantor-simulator.ts issue --lot <lotId> --applicant <统一社会信用代码>
 *        --applicant-name … --amount 80000 [--guarantee-no …] [--valid-days 120]
 *   node --import tsx tools/guarantor-simulator.ts revoke --guarantee-no … --reason …
 *
 * Options everywhere: --server (or GGZY_SERVER), --dir (default .tmp/guarantor-simulator).
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { type GuaranteeDocument, signGuarantee } from '../src/trading/deposits/index.ts';
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

export interface IssueInput {
  lotId: string;
  applicantCreditCode: string;
  applicantName: string;
  amountYuan: string;
  guaranteeNo?: string;
  /** Validity after the bid deadline, in days (default: what the platform asks + 30). */
  validDays?: number;
  issuer: { creditCode: string; name: string };
}

export async function issue(server: string, state: InstitutionState, input: IssueInput) {
  const lot = await signedFetch(server, state, 'GET', `/api/institution/lots/${input.lotId}`);
  if (lot.status !== 200) return lot;
  const info = lot.body as {
    lotCode: string;
    beneficiary: { organizationId: string; name: string };
    bidDeadline: string;
    guaranteeMustCoverUntil: string;
  };
  const now = new Date();
  const until = input.validDays
    ? new Date(Date.parse(info.bidDeadline) + input.validDays * 86_400_000)
    : new Date(Date.parse(info.guaranteeMustCoverUntil) + 30 * 86_400_000);
  const guarantee: GuaranteeDocument = {
    format: 'ggzy-guarantee/v1',
    guaranteeNo: input.guaranteeNo ?? `SIMBH${Date.now()}${randomBytes(2).toString('hex').toUpperCase()}`,
    issuer: {
      institutionId: state.institutionId ?? '',
      creditCode: input.issuer.creditCode,
      name: input.issuer.name,
    },
    lotId: input.lotId,
    lotCode: info.lotCode,
    applicant: { creditCode: input.applicantCreditCode, name: input.applicantName },
    beneficiary: info.beneficiary,
    amountYuan: input.amountYuan,
    validFrom: new Date(Math.min(now.getTime(), Date.parse(info.bidDeadline))).toISOString(),
    validUntil: until.toISOString(),
    issuedAt: now.toISOString(),
  };
  const res = await signedFetch(server, state, 'POST', '/api/institution/guarantees', {
    guarantee,
    signature: signGuarantee(state.key, guarantee),
  });
  return { ...res, guarantee };
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = parseFlags(rest);
  const server = flags.server ?? process.env.GGZY_SERVER ?? 'http://localhost:3000';
  const state = await loadState(flags.dir ?? '.tmp/guarantor-simulator');
  const name = flags.name ?? '模拟融资担保有限公司（开发测试）';
  const creditCode = flags['credit-code'] ?? '91150100MA0000GR1Y';
  const out = (value: unknown) =>
    process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
  switch (command) {
    case 'register': {
      const kind = (flags.kind ?? 'guarantor') as 'bank' | 'insurer' | 'guarantor';
      if (flags.username && flags.password) {
        const id = await registerWithOperator(server, state, {
          username: flags.username,
          password: flags.password,
          name,
          kind,
          creditCode,
        });
        out(`已登记，机构编号 ${id}（保存在 ${state.dir}/institution.json）`);
      } else {
        out(
          `请交易中心工作人员登记：\n名称：${name}\n类型：${kind}\n统一社会信用代码：${creditCode}\nSM2 公钥：\n${publicKeyPem(state)}`,
        );
      }
      return 0;
    }
    case 'use':
      await saveInstitutionId(state, required(flags, 'id'));
      out(`机构编号已保存：${state.institutionId}`);
      return 0;
    case 'issue': {
      const res = await issue(server, state, {
        lotId: required(flags, 'lot'),
        applicantCreditCode: required(flags, 'applicant'),
        applicantName: flags['applicant-name'] ?? '',
        amountYuan: required(flags, 'amount'),
        ...(flags['guarantee-no'] ? { guaranteeNo: flags['guarantee-no'] } : {}),
        ...(flags['valid-days'] ? { validDays: Number(flags['valid-days']) } : {}),
        issuer: { creditCode, name },
      });
      out(res);
      return res.status === 200 ? 0 : 1;
    }
    case 'revoke': {
      const res = await signedFetch(
        server,
        state,
        'POST',
        `/api/institution/guarantees/${encodeURIComponent(required(flags, 'guarantee-no'))}/revoke`,
        {
          reason: required(flags, 'reason'),
        },
      );
      out(res.body);
      return res.status === 200 ? 0 : 1;
    }
    default:
      out('用法：guarantor-simulator.ts register|use|issue|revoke [选项]（见文件头注释）');
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
