import { Command, Option } from 'commander';
import { VERSION } from '../version.ts';
import { createUser, migrate, seed } from './admin.ts';
import { auditVerify } from './audit.ts';
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

await program.parseAsync(process.argv);
