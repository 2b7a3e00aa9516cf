import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { buildPlatform } from '../main.ts';
import { JumpingClock, SystemClock } from '../platform/clock/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import {
  createCheckpoint,
  loadCheckpointSigner,
  sequenceWitnessEvents,
  verifyWitnessLog,
} from '../platform/witness/index.ts';
import { seedDemo } from '../seed/demo.ts';
import { runDemoAuction } from '../seed/demo-auction.ts';
import { type DemoTenderDeps, runDemoTender } from '../seed/demo-tender.ts';
import {
  iterateReleases,
  projectOpenData,
  TRIGGER_NAMES_ZH,
  validateOcds,
} from '../service/opendata/index.ts';

/**
 * `ggzy demo`: a complete tender on a fresh embedded database at accelerated time (src/seed/demo-tender.ts),
 * every step printed, ending with a signed witness-log checkpoint and the whole log verified. Exit 0 when
 * everything passed, 1 otherwise. `--auction`: a land 挂牌 that turns into online 限时竞价 instead
 * (src/seed/demo-auction.ts), ending with the auction record and the witness log verified.
 */
export async function demo(opts: { dataDir?: string; keep: boolean; auction?: boolean }): Promise<void> {
  // The embedded PostgreSQL is WebAssembly: one optimised compilation saves memory (see serve.ts).
  v8.setFlagsFromString('--no-liftoff');
  const started = Date.now();
  const dataDir = opts.dataDir
    ? path.resolve(opts.dataDir)
    : await mkdtemp(path.join(os.tmpdir(), 'ggzy-demo-'));
  if (opts.dataDir) {
    const entries = await readdir(dataDir).catch(() => []);
    if (entries.length > 0) {
      console.error(`数据目录 ${dataDir} 不为空：演示需要一个空目录 (the demo needs an empty directory)`);
      process.exit(2);
    }
  }
  const env = { ...process.env, GGZY_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
  const config = loadConfig(env);
  const clock = new JumpingClock();
  const log = (line: string) => console.log(line);
  console.log(
    `ggzy 演示：${opts.auction ? '一次国有建设用地使用权挂牌出让（挂牌转限时竞价）' : '一次完整的公开招标'}（内置数据库 ${path.join(dataDir, 'pglite')}）`,
  );
  const platform = await buildPlatform({
    config,
    clock,
    sessionClock: new SystemClock(1),
    logger: false,
    webDir: null,
  });
  let ok = false;
  try {
    await seedDemo({ ...platform, securityClock: platform.sessionClock, dataDir });
    ok = opts.auction
      ? await auctionDemo(platform, clock, dataDir, log)
      : await tenderDemo(platform, clock, config, dataDir, log);
  } catch (error) {
    console.error(`演示中断 (demo failed)：${(error as Error).message}`);
  } finally {
    await platform.close();
    if (!opts.keep && !opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    console.log(
      `用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒${opts.keep || opts.dataDir ? `；数据保留在 ${dataDir}` : ''}`,
    );
  }
  process.exit(ok ? 0 : 1);
}

/** `ggzy demo --auction`: the land listing, then the witness log sequenced, checkpointed and verified. */
async function auctionDemo(
  platform: Awaited<ReturnType<typeof buildPlatform>>,
  clock: JumpingClock,
  dataDir: string,
  log: (line: string) => void,
): Promise<boolean> {
  const summary = await runDemoAuction({
    app: platform.app,
    db: platform.db,
    identity: platform.identity,
    jobs: platform.jobs,
    clock,
    dataDir,
    log,
  });
  log('⑪ 交易见证：排序入树、签发检查点、从数据库重算核验（§24、§27）');
  await sequenceWitnessEvents(platform.db);
  const signer = await loadCheckpointSigner(platform.db, clock);
  const checkpoint = await createCheckpoint(platform.db, clock, signer);
  const report = await verifyWitnessLog(platform.db, {});
  log(
    `    检查点：树大小 ${checkpoint?.treeSize ?? '—'}；audit verify：已核验 ${report.eventsChecked} 个见证事件 —— ${
      report.ok ? '见证日志完整，未发现篡改' : `发现问题：${report.firstProblem?.kind}`
    }`,
  );
  log('');
  log(`竞得人：${summary.winner}；成交价 ${summary.priceYuan}；有效报价 ${summary.bids} 次。`);
  return report.ok && summary.recordOk && summary.tamperDetected;
}

/** `ggzy demo`: the tender, then the witness log verified and the open-data feed checked against OCDS. */
async function tenderDemo(
  platform: Awaited<ReturnType<typeof buildPlatform>>,
  clock: JumpingClock,
  config: ReturnType<typeof loadConfig>,
  dataDir: string,
  log: (line: string) => void,
): Promise<boolean> {
  const address = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const deps: DemoTenderDeps = {
    app: platform.app,
    db: platform.db,
    identity: platform.identity,
    jobs: platform.jobs,
    clock,
    serverUrl: address,
    dataDir,
    log,
  };
  const summary = await runDemoTender(deps);

  log('⑫ 交易见证：排序入树、签发检查点、从数据库重算核验（§24、§27）');
  await sequenceWitnessEvents(platform.db);
  const signer = await loadCheckpointSigner(platform.db, clock);
  const checkpoint = await createCheckpoint(platform.db, clock, signer);
  const report = await verifyWitnessLog(platform.db, {});
  log(
    `    检查点：树大小 ${checkpoint?.treeSize ?? '—'}，根哈希 ${checkpoint ? Buffer.from(checkpoint.rootHash).toString('hex') : '—'}（平台 SM2 签名）`,
  );
  log(
    `    audit verify：已核验 ${report.eventsChecked} 个见证事件、${report.checkpointsChecked} 个检查点 —— ${
      report.ok ? '见证日志完整，未发现篡改' : `发现问题：${report.firstProblem?.kind}`
    }`,
  );

  log('⑬ 公开数据：按见证日志的提交顺序生成 OCDS 1.1 release，逐条按官方 schema 校验（§28）');
  await projectOpenData({
    db: platform.db,
    sealer: platform.sealer,
    clock,
    ocidPrefix: config.GGZY_OCID_PREFIX,
  });
  const releases = [];
  for await (const { release } of iterateReleases(platform.db)) releases.push(release);
  const invalid = releases.filter((r) => !validateOcds('release', r).valid);
  const kinds = releases.map((r) => {
    const kind = (r as { ggzy?: { trigger?: { kind?: string } } }).ggzy?.trigger?.kind ?? '';
    return TRIGGER_NAMES_ZH[kind as keyof typeof TRIGGER_NAMES_ZH] ?? kind;
  });
  log(`    变更流 ${releases.length} 条：${kinds.join(' → ')}`);
  log(
    `    ${invalid.length === 0 ? '全部通过 OCDS 1.1 release schema 校验' : `${invalid.length} 条未通过 OCDS 校验`}；ocid ${releases[0]?.ocid ?? '—'}`,
  );
  log('');
  log(
    `中标人：${summary.winner}；合同金额 ${summary.contractYuan} 元；退还保证金指令 ${summary.refunds} 笔。`,
  );
  return report.ok && releases.length > 0 && invalid.length === 0;
}
