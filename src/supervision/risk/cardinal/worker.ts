/**
 * A worker thread of `scanFile`: folds one byte range of the file (whole lines) and posts the partial
 * fold back, as each rayon thread of Cardinal folds its share before the reduce.
 */
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { foldStream, LineFolder, type SkippedLine } from './lines.ts';
import { type CardinalPartial, CardinalScan } from './scan.ts';
import type { CardinalSettings } from './settings.ts';

export interface RangeJob {
  file: string;
  /** First byte (a line start) and the byte after the last line. */
  start: number;
  end: number;
  settings: CardinalSettings;
}

export interface RangeResult {
  partial: CardinalPartial;
  /** Lines in the range. */
  lines: number;
  /** Lines skipped, numbered within the range. */
  skipped: SkippedLine[];
}

async function foldRange(job: RangeJob): Promise<RangeResult> {
  const skipped: SkippedLine[] = [];
  const folder = new LineFolder(new CardinalScan(job.settings), (line) => skipped.push(line));
  if (job.end > job.start) {
    await foldStream(
      createReadStream(job.file, { start: job.start, end: job.end - 1, highWaterMark: 256 << 10 }),
      folder,
    );
  }
  return { partial: folder.scan.partial(), lines: folder.lineNo, skipped };
}

parentPort?.once('message', (job: RangeJob) => {
  foldRange(job).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error: unknown) =>
      parentPort?.postMessage({ ok: false, message: (error as Error).message ?? String(error) }),
  );
});
