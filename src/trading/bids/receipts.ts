import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { AppError } from '../../platform/errors.ts';
import {
  type CheckpointSigner,
  createCheckpoint,
  getInclusionProof,
  loadCheckpointSigner,
  readWitnessLeafRow,
  sequenceWitnessEvents,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import {
  type BidReceipt,
  type ReceiptWitness,
  receiptSigningBytes,
  type SignedBidReceipt,
} from './format.ts';

/**
 * 回执 (电子招标投标办法第二十七条): signed by the platform's checkpoint key over canonicalJson(receipt);
 * the witness proof is attached when the event is in a signed checkpoint. After a bid commits the
 * service sequences the log and signs a checkpoint itself — one run in flight per process, requests that
 * arrive meanwhile share the next run — and gives up after `timeoutMs` (the proof is fetched later).
 */
export interface ReceiptService {
  signer(): Promise<CheckpointSigner>;
  sign(receipt: BidReceipt): Promise<SignedBidReceipt>;
  /** The inclusion proof of a witness event, making a checkpoint if needed; null after `timeoutMs`. */
  proof(eventId: number, timeoutMs?: number): Promise<ReceiptWitness | null>;
}

export const PROOF_TIMEOUT_MS = 1500;

export function createReceiptService(db: Kysely<WitnessTables>, clock: Clock): ReceiptService {
  let signer: Promise<CheckpointSigner> | null = null;
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const getSigner = () => {
    signer ??= loadCheckpointSigner(db, clock).catch((error: unknown) => {
      signer = null;
      throw error;
    });
    return signer;
  };

  async function checkpointOnce(): Promise<void> {
    await sequenceWitnessEvents(db, { maxBatches: 4 });
    await createCheckpoint(db, clock, await getSigner());
  }

  /** A checkpoint run that starts after this call: joins the queued run, or starts one. */
  function requestCheckpoint(): Promise<void> {
    if (!running) {
      running = checkpointOnce().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return requestCheckpoint();
      });
    return queued;
  }

  async function tryProof(eventId: number): Promise<ReceiptWitness | null> {
    try {
      const proof = await getInclusionProof(db, eventId);
      const row = await readWitnessLeafRow(db, eventId);
      if (!proof.checkpoint || !row) return null;
      const { leaf_index: _leafIndex, ...event } = row;
      return {
        event,
        leafIndex: proof.leafIndex,
        treeSize: proof.treeSize,
        inclusionPath: proof.inclusionPath.map((h) => Buffer.from(h).toString('hex')),
        checkpoint: {
          treeSize: proof.checkpoint.treeSize,
          rootHash: Buffer.from(proof.checkpoint.rootHash).toString('hex'),
          issuedAt: proof.checkpoint.issuedAt.toISOString(),
          keyId: proof.checkpoint.keyId,
          signature: Buffer.from(proof.checkpoint.signature).toString('base64url'),
        },
      };
    } catch (error) {
      // Not sequenced or not checkpointed yet: a proof comes later.
      if (error instanceof AppError && error.status === 409) return null;
      throw error;
    }
  }

  return {
    signer: getSigner,
    async sign(receipt) {
      const s = await getSigner();
      return {
        receipt,
        signature: Buffer.from(s.sign(receiptSigningBytes(receipt))).toString('base64url'),
        witness: null,
      };
    },
    async proof(eventId, timeoutMs = PROOF_TIMEOUT_MS) {
      const found = await tryProof(eventId);
      if (found) return found;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        // Two rounds at most: the first run may have started before our event committed.
        for (let round = 0; round < 2; round++) {
          const run = requestCheckpoint().then(
            () => 'done' as const,
            // The bid is committed either way; the witness loop or a later GET attaches the proof.
            () => 'failed' as const,
          );
          const outcome = await Promise.race([run, timeout]);
          if (outcome !== 'done') return null;
          const proof = await tryProof(eventId);
          if (proof) return proof;
        }
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
