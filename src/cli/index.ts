import { Command, Option } from 'commander';
import { VERSION } from '../version.ts';
import { createUser, migrate, seed } from './admin.ts';
import { auditVerify } from './audit.ts';
import { bidPack, bidSubmit, bidVerifyReceipt, bidWithdraw } from './bid.ts';
import { caIssue, certInspect, certSign, certVerify } from './cert.ts';
import { demo } from './demo.ts';
import { expertsVerifyDraw } from './experts.ts';
import { exportDataspec, exportOcds } from './export.ts';
import { openingConfirm, openingDecrypt, openingShare } from './opening.ts';
import { collect as collectOption, riskScan } from './risk.ts';
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
  .command('demo')
  .description(
    '在新的内置数据库上以加速时间演示一次完整的公开招标，最后核验见证日志 (play one whole tender end to end, then verify the witness log)',
  )
  .option('--data-dir <dir>', '使用这个空目录并保留数据 (use this empty directory and keep the data)')
  .option('--keep', '保留临时数据目录 (keep the temporary data directory)', false)
  .option(
    '--auction',
    '改为演示一次国有建设用地使用权挂牌出让：挂牌期满转入限时竞价，至成交与保证金处理 (play a land listing that turns into timed bidding instead)',
    false,
  )
  .action(async (opts: { dataDir?: string; keep: boolean; auction: boolean }) => demo(opts));

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

const experts = program.command('experts').description('评标专家与随机抽取 (experts and the random draw)');
experts
  .command('verify-draw')
  .description(
    '复核专家随机抽取：种子与承诺、名单与摘要及见证日志中的承诺、检查点签名及其包含承诺、重放结果与记录；通过退出码 0，未通过 1',
  )
  .argument('<drawId>', '专家抽取 ID')
  .option(
    '--record <file>',
    '离线复核公开抽取记录文件（GET /api/expert-draws/:id/record 的 JSON），不连数据库',
  )
  .option('--trust <pem...>', '离线复核时只信任这些平台公钥文件（/api/witness/public-key）')
  .action(async (drawId: string, opts: { record?: string; trust?: string[] }) => {
    process.exitCode = await expertsVerifyDraw(drawId, opts);
  });

const opening = program.command('opening').description('不见面开标 (the remote bid opening)');
for (const [name, description, keyHelp, action] of [
  [
    'decrypt',
    '投标人解密：用本地加密私钥解出本单位投标文件各部分的内容密钥并提交（私钥不离开本机）',
    '加密证书私钥 enc.key.pem',
    openingDecrypt,
  ],
  [
    'share',
    '开标密钥保管人：用本地加密私钥解密本人保管的分片并提交（备用解密）',
    '加密证书私钥 enc.key.pem',
    openingShare,
  ],
  ['confirm', '投标人用签名证书私钥对开标记录的 SM3 签名确认', '签名证书私钥 sign.key.pem', openingConfirm],
] as const) {
  opening
    .command(name)
    .description(description)
    .requiredOption('--lot <lotId>', '标段（包）ID')
    .requiredOption('--key <pem>', keyHelp)
    .option('--server <url>', '平台地址（或环境变量 GGZY_SERVER）')
    .option('--username <username>', '用户名')
    .option('--password <password>', '密码（或环境变量 GGZY_PASSWORD）')
    .option('--token <token>', '会话令牌（或环境变量 GGZY_TOKEN）')
    .action(
      async (opts: {
        lot: string;
        key: string;
        server?: string;
        username?: string;
        password?: string;
        token?: string;
      }) => {
        process.exitCode = await action(opts);
      },
    );
}

const exportCmd = program.command('export').description('导出公开数据 (export open data)');
exportCmd
  .command('ocds')
  .description(
    '以 JSON Lines 导出 OCDS 1.1 发布（每行一条，按变更流顺序）；--compiled 每个交易过程一条编译发布；终端上显示进度',
  )
  .requiredOption('--out <file>', '输出文件（以 .gz 结尾时 gzip 压缩）')
  .option('--compiled', '每个交易过程（标段/包）输出一条编译发布 (one compiled release per process)', false)
  .option('--since <cursor>', '只导出此后的发布：变更流游标（/api/open/feed 的 next）或序号')
  .action(async (opts: { out: string; compiled: boolean; since?: string }) => {
    process.exitCode = await exportOcds(opts);
  });
exportCmd
  .command('dataspec')
  .description(
    '按数据规范导出公开的交易过程记录：每张数据表一个 <TABLE>.jsonl，逐条校验；有不合规记录时报告字段与规则并以非零退出；终端上显示进度',
  )
  .requiredOption('--out <dir>', '输出目录')
  .action(async (opts: { out: string }) => {
    process.exitCode = await exportDataspec(opts);
  });

const risk = program.command('risk').description('风险监测预警 (risk monitoring: red flags)');
risk
  .command('scan')
  .description(
    '按 OCP Cardinal 的红旗指标扫描 OCDS 编译发布（JSON Lines，每行一个交易过程），在标准输出打印结果 JSON (scan compiled releases for red flags)',
  )
  .requiredOption('--ocds <file>', 'OCDS 编译发布文件，JSON Lines；- 表示标准输入 (compiled releases)')
  .option(
    '--indicator <code>',
    '只计算此指标，可多次或以逗号分隔，如 R024,R058；默认全部 (only these indicators)',
    collectOption,
    [],
  )
  .option('--settings <file>', 'Cardinal 格式的设置文件 settings.ini (Cardinal settings file)')
  .option('--no-meta', '输出不含 Meta（四分位数与阈值）(omit the Meta key)')
  .action(async (opts: { ocds: string; indicator: string[]; settings?: string; meta: boolean }) => {
    process.exitCode = await riskScan(opts);
  });

const bid = program
  .command('bid')
  .description(
    '投标文件工具：制作（加密签名）、递交（断点续传）、核验回执、撤回；开标解密见 ggzy opening decrypt (sealed bids)',
  );
const serverOptions = (command: Command) =>
  command
    .option('--server <url>', '平台地址（或环境变量 GGZY_SERVER），如 https://ggzy.example.cn')
    .option('--token <token>', '登录令牌（或 GGZY_TOKEN）')
    .option('--username <username>', '用户名（与 --password 或 GGZY_PASSWORD 一起登录）')
    .option('--password <password>', '密码（建议改用环境变量 GGZY_PASSWORD）');
serverOptions(
  bid
    .command('pack')
    .description(
      '制作投标文件：每个部分用新的 SM4 内容密钥加密，密钥以数字信封加密给本单位加密证书（招标文件允许时另加开标备用密钥），清单用签名证书签名；输出 manifest.json 与 part-<序号>.gzs4',
    )
    .requiredOption('--lot <lotId>', '标段（包）ID')
    .requiredOption(
      '--part <spec...>',
      '组成部分，可多次：summary:price=1234567.89,duration=365,quality=合格（开标一览表）；commercial:商务标.pdf；technical:技术标.pdf；qualification:资格文件.zip；other:文件',
    )
    .requiredOption('--cert-dir <dir>', '证书目录：sign.key.pem sign.cert.pem enc.key.pem enc.cert.pem')
    .requiredOption('--out <dir>', '输出目录')
    .option(
      '--offline',
      '不连接平台（需同时给出 --lot-code --org-id --credit-code --org-name [--opening-key]）',
      false,
    )
    .option('--lot-code <code>', '离线：标段（包）编号')
    .option('--org-id <id>', '离线：本单位在平台的组织 ID')
    .option('--credit-code <code>', '离线：统一社会信用代码（默认取自签名证书）')
    .option('--org-name <name>', '离线：单位名称（默认取自签名证书）')
    .option('--opening-key <pem>', '离线：开标备用密钥公钥文件（招标文件允许备用解密时）'),
).action(async (opts: Parameters<typeof bidPack>[0]) => {
  process.exitCode = await bidPack(opts);
});
serverOptions(
  bid
    .command('submit')
    .description(
      '递交投标文件：分块上传（每块 ≤ 8 MiB），网络中断后查询断点自动续传、退避重试；完成后保存平台回执 receipt.json',
    )
    .requiredOption('--dir <dir>', 'ggzy bid pack 的输出目录')
    .option('--retries <n>', '每一步最多重试次数', (v) => Number.parseInt(v, 10), 10),
).action(async (opts: Parameters<typeof bidSubmit>[0]) => {
  process.exitCode = await bidSubmit(opts);
});
bid
  .command('verify-receipt')
  .description('离线核验投标回执：平台签名、见证日志存在性证明与签名检查点；有效退出码 0，无效 1')
  .argument('<receipt>', '回执文件 receipt.json')
  .option('--trust <pem...>', '平台公钥文件（/api/witness/public-key 公布的 PEM）')
  .option('--server <url>', '从平台读取公钥，并查询该投标文件是否仍有效')
  .action(async (file: string, opts: { trust?: string[]; server?: string }) => {
    process.exitCode = await bidVerifyReceipt(file, opts);
  });
serverOptions(
  bid
    .command('withdraw')
    .description('撤回投标文件（投标截止前）')
    .option('--bid <bidId>', '投标编号')
    .option('--receipt <file>', '或：该投标文件的回执 receipt.json'),
).action(async (opts: Parameters<typeof bidWithdraw>[0]) => {
  process.exitCode = await bidWithdraw(opts);
});
await program.parseAsync(process.argv);
