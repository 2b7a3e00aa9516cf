import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.ts';
import { createCheckpoint } from './checkpoints.ts';
import { type CheckpointSigner, loadCheckpointSigner } from './keys.ts';
import { sequenceWitnessEvents } from './sequencer.ts';
import type { WitnessTables } from './tables.ts';

/** What the loop needs of a logger; pino's fits. */
export interface WitnessLoopLogger {
  error(details: object, message: string): void;
  info?(details: object, message: string): void;
}

export interface WitnessLoopOptions {
  logger: WitnessLoopLogger;
  /** Pause between sequencer runs (default 200 ms). */
  sequenceIntervalMs?: number;
  /** Real milliseconds between checkpoints (default 60 s); 0 turns checkpoints off. */
  checkpointIntervalMs?: number;
  /** Default: the platform key from `platform_keys`, generated on first use. */
  signer?: CheckpointSigner;
  /** Events per sequencer transaction (default 5,000) and batches per run (default 20). */
  batchSize?: number;
  maxBatchesPerRun?: number;
}

/**
 * Runs the sequencer every ~200 ms and signs a checkpoint every `checkpointIntervalMs` when the tree grew.
 * Every instance may run it: the advisory lock lets one sequence at a time. A failure is logged and the
 * next run tries again; the loop never throws. Returns a function that stops it and waits for the run
 * in progress.
 */
export function startWitnessLoop(
  db: Kysely<WitnessTables>,
  clock: Clock,
  opts: WitnessLoopOptions,
): () => Promise<void> {
  const sequenceIntervalMs = opts.sequenceIntervalMs ?? 200;
  const checkpointIntervalMs = opts.checkpointIntervalMs ?? 60_000;
  let signer = opts.signer ?? null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  // Real time, not the platform clock: a demo's scaled clock must not make checkpoints 1,440 times as often.
  let lastCheckpointAt = performance.now();

  const runOnce = async (): Promise<void> => {
    try {
      await sequenceWitnessEvents(db, { batchSize: opts.batchSize, maxBatches: opts.maxBatchesPerRun ?? 20 });
    } catch (error) {
      opts.logger.error({ err: error }, '交易见证：事件排序入树失败，稍后重试');
      return;
    }
    if (checkpointIntervalMs <= 0 || performance.now() - lastCheckpointAt < checkpointIntervalMs) return;
    try {
      signer ??= await loadCheckpointSigner(db, clock);
      const checkpoint = await createCheckpoint(db, clock, signer);
      lastCheckpointAt = performance.now();
      if (checkpoint) opts.logger.info?.({ treeSize: checkpoint.treeSize }, '交易见证：已签发检查点');
    } catch (error) {
      opts.logger.error({ err: error }, '交易见证：签发检查点失败，稍后重试');
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = runOnce().finally(schedule);
    }, sequenceIntervalMs);
  };
  schedule();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
