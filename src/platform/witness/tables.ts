import type { ColumnType, Generated } from 'kysely';

/**
 * 见证事件 — one row per action, written in the same transaction as the state change it witnesses.
 * `leaf_index` and `leaf_hash` are assigned after commit by the sequencer, which fixes the total order
 * in which committed events enter the Merkle tree.
 */
export interface WitnessEventsTable {
  id: Generated<number>;
  leaf_index: number | null;
  leaf_hash: Uint8Array | null;
  occurred_at: Date;
  actor_account_id: string | null;
  actor_organization_id: string | null;
  actor_role: string | null;
  ip: string | null;
  user_agent: string | null;
  client_fingerprint: string | null;
  request_id: string | null;
  entity_type: string;
  entity_id: string;
  action: string;
  /** Canonical JSON text (sorted keys), kept as text so its bytes — and so its hash — never change. */
  payload: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/**
 * The roots of the Merkle tree's perfect subtrees at level ≥ 1 (level 0 is `witness_events.leaf_hash`):
 * node (level, index) covers leaves [index·2^level, (index+1)·2^level). Any proof is then a handful of
 * lookups, whatever the tree's size.
 */
export interface WitnessNodesTable {
  level: number;
  index: number;
  hash: Uint8Array;
}

/** The one row saying how many leaves the tree has; the sequencer moves it under its lock. */
export interface WitnessTreeHeadTable {
  singleton: ColumnType<boolean, boolean | undefined, never>;
  tree_size: number;
}

/** 检查点 — a signed (tree size, root hash, time), published so anyone can hold the log to it. */
export interface WitnessCheckpointsTable {
  id: Generated<number>;
  tree_size: number;
  root_hash: Uint8Array;
  issued_at: Date;
  key_id: string;
  /** SM2 signature (DER) over the checkpoint text, see docs/witness.md. */
  signature: Uint8Array;
}

/**
 * Platform signing keys by purpose ('witness-checkpoint'). One active key per purpose; retired keys stay
 * so old signatures still verify. In production the private key belongs in an HSM/KMS, not a table.
 */
export interface PlatformKeysTable {
  /** SM3 of the DER SubjectPublicKeyInfo, hex: anyone holding the public key can compute it. */
  id: string;
  purpose: string;
  private_key_pem: string;
  public_key_pem: string;
  created_at: Date;
  retired_at: Date | null;
}

export interface WitnessTables {
  witness_events: WitnessEventsTable;
  witness_nodes: WitnessNodesTable;
  witness_tree_head: WitnessTreeHeadTable;
  witness_checkpoints: WitnessCheckpointsTable;
  platform_keys: PlatformKeysTable;
}
