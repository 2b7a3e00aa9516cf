import { Command, Option } from 'commander';
import { VERSION } from '../version.ts';
import { createUser, migrate, seed } from './admin.ts';
import { auditVerify } from './audit.ts';
import { caIssue, certInspect, certSign, certVerify } from './cert.ts';
import { serve } from './serve.ts';

const program = new Command()
  .name('ggzy')
  .description('ggzy 公共资源交易平台 — 命令行 (the platform command line)')
  .version(VERSION);

program
  .command('serve')
  .description('启动平台 (start the platform: migrate, listen on HOST:PORT, run background jobs)')
  .option('--demo', '数据库为空时写入演示数据并打印演示账号 (seed demo data into an empty database)', false)
  .option('--build-web', '网页应用未构建时先构建 (build the web app if it is not built yet)', false)
  .action(async (opts: { demo: boolean; buildWeb: boolean }) => serve(opts));

program
  .command('migrate')
  .description('执行数据库迁移 (apply database migrations)')
  .action(async () => migrate());

program
  .command('seed')
  .description('向空数据库写入演示数据 (seed demo data into an empty database)')
  .action(async () => seed());

const user = program.command('user').description('账号管理 (accounts)');
user
  .command('create')
  .description('创建账号 (create an account)')
  .requiredOption('--username <username>', '用户名')
  .requiredOption('--name <displayName>', '显示名称')
  .addOption(
    new Option('--role <role...>', '角色，可多个')
      .choices(['operator', 'initiator', 'agency', 'responder', 'expert', 'supervisor', 'auditor'])
      .makeOptionMandatory(),
  )
  .option('--password <password>', '密码（或用环境变量 GGZY_NEW_PASSWORD）')
  .option('--org-id <organizationId>', '所属组织 ID')
  .action(
    async (opts: { username: string; name: string; role: string[]; password?: string; orgId?: string }) =>
      createUser(opts),
  );

const audit = program.command('audit').description('审计 (audit)');
audit
  .command('verify')
  .description('从数据库重算交易见证日志，报告第一处被篡改、删除或重排的事件 (verify the witness log)')
  .option('--trust <publicKeyPem...>', '只信任这些已公布的平台公钥 (trust only these published keys)')
  .option('--no-sequence', '不先将未入树的已提交事件排序入树 (do not sequence pending events first)')
  .option('--json', '以 JSON 输出报告 (print the report as JSON)', false)
  .action(async (opts: { trust?: string[]; sequence: boolean; json: boolean }) => auditVerify(opts));

const cert = program.command('cert').description('数字证书 (certificates)');
cert
  .command('inspect')
  .description(
    '查看证书或证书吊销列表：主题、颁发者、有效期、密钥、用途、指纹、统一社会信用代码 (inspect a certificate or CRL)',
  )
  .argument('<file>', '证书或 CRL 文件（PEM 或 DER）')
  .option('--json', '以 JSON 输出 (print JSON)', false)
  .action(async (file: string, opts: { json: boolean }) => {
    process.exitCode = await certInspect(file, opts);
  });
program
  .command('sign')
  .description('用签名证书的私钥对文件做分离式签名，格式同 openssl dgst -sign (detached signature)')
  .argument('<file>', '要签名的文件')
  .requiredOption('--key <key>', '私钥文件（PEM 或 DER）')
  .requiredOption('--cert <cert>', '签名证书文件')
  .requiredOption('--out <sig>', '签名输出文件（DER）')
  .action(async (file: string, opts: { key: string; cert: string; out: string }) => {
    process.exitCode = await certSign(file, opts);
  });
program
  .command('verify')
  .description(
    '验证分离式签名，指定 --trust 时同时验证证书链；有效退出码 0，无效 1 (verify a detached signature)',
  )
  .argument('<file>', '被签名的文件')
  .requiredOption('--cert <cert>', '签名证书（其后可附中级CA证书）')
  .requiredOption('--sig <sig>', '签名文件（DER）')
  .option('--trust <caPem...>', '受信任的CA证书文件，可多个 (trusted CA certificates)')
  .option('--crl <crl...>', '证书吊销列表文件，可多个 (CRLs)')
  .action(async (file: string, opts: { cert: string; sig: string; trust?: string[]; crl?: string[] }) => {
    process.exitCode = await certVerify(file, opts);
  });
const ca = program.command('ca').description('演示CA（仅供演示和测试）(the demo CA)');
ca.command('issue')
  .description('为已有账号签发并绑定 SM2 双证书 (issue SM2 dual demo certificates to an account)')
  .requiredOption('--username <username>', '用户名')
  .option('--out <dir>', '输出目录（默认为 数据目录/certs/‹用户名>/）')
  .action(async (opts: { username: string; out?: string }) => {
    process.exitCode = await caIssue(opts);
  });

await program.parseAsync(process.argv);
