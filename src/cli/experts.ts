import { readFile } from 'node:fs/promises';
import { allMigrations } from '../migrations.ts';
import { migrateToLatest, openDatabase } from '../platform/db/index.ts';
import { loadFieldSealer } from '../platform/sealing/index.ts';
import type { AllTables } from '../tables.ts';
import {
  CHECK_NAMES_ZH,
  type DrawRecord,
  type DrawVerification,
  verifyDrawInDatabase,
  verifyDrawRecord,
} from '../trading/draws/index.ts';
import { configOrExit, describeDatabase, failAndExit } from './common.ts';

type Print = (line: string) => void;

/** Prints a verification; returns the exit code: 0 复核通过, 1 the first failing round and check. */
export function reportVerification(report: DrawVerification | null, drawId: string, print: Print): number {
  if (!report) {
    print(`结果：未找到专家抽取 ${drawId}`);
    return 1;
  }
  for (const r of report.rounds) {
    print(
      `第 ${r.round} 轮：${r.checks.map((c) => CHECK_NAMES_ZH[c]).join('、')} —— 通过${r.replayed ? '' : '（种子尚未公开，未重放）'}`,
    );
  }
  if (report.failure) {
    const f = report.failure;
    print(
      `结果：复核未通过 —— ${f.round === null ? '' : `第 ${f.round} 轮，`}${CHECK_NAMES_ZH[f.check]}：${f.detail}`,
    );
    return 1;
  }
  if (report.notReplayed.length > 0) {
    print(`结果：复核通过（第 ${report.notReplayed.join('、')} 轮的种子与名单在评标开始后公开，届时可重放）`);
  } else {
    print('结果：复核通过');
  }
  return 0;
}

/** Verifies a public record file offline (`--record`), with the keys it carries or `--trust` files. */
/** A file's text, or null after saying in Chinese why it could not be read (never the system's message). */
async function readTextFile(file: string, what: string, print: Print): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? '文件不存在'
        : code === 'EACCES'
          ? '没有读取权限'
          : code === 'EISDIR'
            ? '这是一个目录'
            : `读取失败（${code ?? '未知错误'}）`;
    print(`无法读取${what} ${file}：${why}`);
    return null;
  }
}

export async function verifyRecordFile(
  file: string,
  trust: string[] | undefined,
  print: Print,
): Promise<number> {
  const text = await readTextFile(file, '抽取记录文件', print);
  if (text === null) return 2;
  let record: DrawRecord;
  try {
    record = JSON.parse(text) as DrawRecord;
  } catch {
    print(`抽取记录文件不是有效的 JSON：${file}（应为 GET /api/expert-draws/:id/record 的原样内容）`);
    return 2;
  }
  const trustedKeysPem: string[] = [];
  for (const f of trust ?? []) {
    const pem = await readTextFile(f, '平台公钥文件', print);
    if (pem === null) return 2;
    trustedKeysPem.push(pem);
  }
  print(
    `抽取记录：${record?.drawId ?? '（无）'}（离线复核，${trustedKeysPem.length ? '使用指定的平台公钥' : '使用记录所附的平台公钥'}）`,
  );
  return reportVerification(
    verifyDrawRecord(record, trustedKeysPem.length ? { trustedKeysPem } : {}),
    record?.drawId ?? '',
    print,
  );
}

/**
 * `ggzy experts verify-draw DRAW_ID [--record FILE]`: replays every round of a draw — seed against its
 * commitment, the list against its hash and the witnessed commitment, the checkpoint's signature and that
 * it contains the commitment, the replay against the recorded selection. From the database it runs with
 * the platform's field key, so it also verifies before the reveal.
 */
export async function expertsVerifyDraw(
  drawId: string,
  opts: { record?: string; trust?: string[] },
): Promise<number> {
  const print: Print = (line) => console.log(line);
  if (opts.record) return verifyRecordFile(opts.record, opts.trust, print);
  const config = configOrExit();
  try {
    const handle = await openDatabase<AllTables>(config.database, { poolSize: 2 });
    try {
      await migrateToLatest(handle.db, allMigrations);
      const sealer = await loadFieldSealer(config.dataDir, config.GGZY_FIELD_KEY);
      print(`数据库 database: ${describeDatabase(config)}`);
      const started = Date.now();
      const report = await verifyDrawInDatabase({ db: handle.db, sealer }, drawId);
      const code = reportVerification(report, drawId, print);
      print(`用时 ${((Date.now() - started) / 1000).toFixed(2)} 秒`);
      return code;
    } finally {
      await handle.close();
    }
  } catch (error) {
    return failAndExit(config, error);
  }
}
