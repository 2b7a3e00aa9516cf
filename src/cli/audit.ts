import fs from 'node:fs';
import { allMigrations } from '../migrations.ts';
import { migrateToLatest, openDatabase } from '../platform/db/index.ts';
import { sequenceWitnessEvents, verifyWitnessLog } from '../platform/witness/index.ts';
import type { AllTables } from '../tables.ts';
import { configOrExit, describeDatabase, failAndExit } from './common.ts';

/**
 * `ggzy audit verify`: recomputes the witness log from the database and reports the first altered,
 * deleted or reordered event. Exit 0 when intact, 1 when a problem is found (or the database fails).
 */
export async function auditVerify(opts: {
  trust?: string[];
  sequence: boolean;
  json: boolean;
}): Promise<void> {
  const config = configOrExit();
  let trustedPublicKeysPem: string[] | undefined;
  if (opts.trust?.length) {
    try {
      trustedPublicKeysPem = opts.trust.map((file) => fs.readFileSync(file, 'utf8'));
    } catch (error) {
      console.error(`无法读取公钥文件 (cannot read the public key file): ${(error as Error).message}`);
      process.exit(2);
    }
  }
  try {
    const handle = await openDatabase<AllTables>(config.database, { poolSize: 2 });
    await migrateToLatest(handle.db, allMigrations);
    // Events committed but not yet in the tree (the server was stopped before its sequencer ran) are
    // sequenced first when asked, so that they are verified too.
    if (opts.sequence) await sequenceWitnessEvents(handle.db);
    const started = Date.now();
    let lastPrint = 0;
    const report = await verifyWitnessLog(handle.db, {
      ...(trustedPublicKeysPem ? { trustedPublicKeysPem } : {}),
      onProgress: ({ eventsChecked, treeSize }) => {
        if (opts.json || !process.stderr.isTTY || Date.now() - lastPrint < 1000) return;
        lastPrint = Date.now();
        process.stderr.write(
          `\r核验中 verifying… ${eventsChecked.toLocaleString()} / ${treeSize.toLocaleString()}`,
        );
      },
    });
    await handle.close();
    const seconds = (Date.now() - started) / 1000;
    if (opts.json) {
      console.log(JSON.stringify({ ...report, seconds }));
    } else {
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`数据库 database: ${describeDatabase(config)}`);
      console.log(
        `已核验 ${report.eventsChecked.toLocaleString()} 个见证事件、${report.checkpointsChecked} 个签名检查点，用时 ${seconds.toFixed(1)} 秒`,
      );
      if (report.ok) {
        console.log('结果：见证日志完整，未发现篡改 (the witness log is intact)');
      } else {
        const p = report.firstProblem!;
        console.log(`结果：发现问题 (problem found) — ${p.kind}`);
        if (p.leafIndex !== undefined) console.log(`  叶子序号 leaf index: ${p.leafIndex}`);
        if (p.eventId !== undefined) console.log(`  事件编号 event id:   ${p.eventId}`);
        if (p.checkpointTreeSize !== undefined)
          console.log(`  检查点 checkpoint at size: ${p.checkpointTreeSize}`);
        console.log(`  ${p.detail}`);
      }
    }
    process.exitCode = report.ok ? 0 : 1;
  } catch (error) {
    failAndExit(config, error);
  }
}
