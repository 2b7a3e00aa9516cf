import type { ColumnType } from 'kysely';

/** 金融机构/担保机构 kind: a bank (银行, holds the deposit account and issues 银行保函), an insurer (保险保函), a guarantor (担保机构). */
export type InstitutionKind = 'bank' | 'insurer' | 'guarantor';
export type InstitutionStatus = 'active' | 'suspended';

/**
 * A financial institution registered by the trading centre (operator). Its requests to the platform are
 * signed with the SM2 key whose public half is kept here (from its certificate or a bare public key).
 */
export interface DepositInstitutionsTable {
  id: string;
  name: string;
  kind: InstitutionKind;
  /** 统一社会信用代码. */
  credit_code: string;
  public_key_pem: string;
  /** The certificate the key came from, when one was given (PEM). */
  certificate_pem: string | null;
  status: InstitutionStatus;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** Nonces of signed institution requests, kept until their replay window has passed. */
export interface DepositRequestNoncesTable {
  institution_id: string;
  nonce: string;
  expires_at: Date;
}

/**
 * 虚拟子账号: one per lot × bidder, held at one bank. Who the bidder is stays sealed (contracts "Secrecy"):
 * `bidder_ref` is the blind index ('bidder', lotId, organizationId), `bidder_sealed` the sealed identity.
 */
export interface DepositAccountsTable {
  id: string;
  lot_id: string;
  bidder_ref: string;
  bidder_sealed: string;
  institution_id: string;
  virtual_account: string;
  created_at: ColumnType<Date, Date, never>;
}

/**
 * accepted 已入账 (from the bidder's 基本账户, before the deadline) · rejected-payer 非基本账户转入、退回 ·
 * late 截止后到账、不计入、退回.
 */
export type TransferStatus = 'accepted' | 'rejected-payer' | 'late';

/** An incoming transfer the bank notified (到账通知). The payer's details are sealed: they name the bidder. */
export interface DepositTransfersTable {
  id: string;
  account_id: string;
  lot_id: string;
  bidder_ref: string;
  institution_id: string;
  /** The bank's own id of the transfer: a second notification of it changes nothing. */
  bank_transfer_id: string;
  amount_yuan: string;
  /** Sealed JSON { accountNumber, accountName, bankName } (context 'deposit-transfer:<id>'). */
  payer_sealed: string;
  /** Blind index ('payer', lotId, accountNumber): equal payer accounts within a lot give equal refs. */
  payer_ref: string;
  value_at: Date;
  received_at: Date;
  status: TransferStatus;
  reject_reason: string | null;
}

export type GuaranteeStatus = 'valid' | 'revoked' | 'released';

/** 电子保函 issued through the API by a registered institution and verified with its key. */
export interface DepositGuaranteesTable {
  id: string;
  institution_id: string;
  guarantee_no: string;
  lot_id: string;
  bidder_ref: string;
  /** Sealed canonical JSON of the guarantee as signed (it names the applicant). Context 'deposit-guarantee:<id>'. */
  document_sealed: string;
  /** SM3 hex of the canonical JSON, for the public verify endpoint. */
  document_sm3: string;
  /** base64url DER SM2 signature by the issuer over the canonical JSON. */
  signature: string;
  amount_yuan: string;
  valid_from: Date;
  valid_until: Date;
  status: GuaranteeStatus;
  issued_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
  released_at: Date | null;
}

/**
 * refund 退还 (cash back to the payer's account) · return 退回 (a transfer that did not count) ·
 * release 释放保函 · forfeit 不予退还 (cash paid over to the initiator once it confirms) ·
 * convert 转为成交价款 (after an auction, the winner's cash paid over to the 出让人's 基本账户).
 */
export type RefundKind = 'refund' | 'return' | 'release' | 'forfeit' | 'convert';
/**
 * pending 待执行 (instruction issued to the institution) · executed 已执行 · proposed-forfeit 拟不予退还
 * (waiting for the initiator) · cancelled 已撤销 (a forfeit the initiator declined; a refund replaces it).
 */
export type RefundStatus = 'pending' | 'executed' | 'proposed-forfeit' | 'cancelled';

export interface DepositRefundsTable {
  id: string;
  lot_id: string;
  bidder_ref: string;
  kind: RefundKind;
  source: 'transfer' | 'guarantee';
  source_id: string;
  institution_id: string;
  reason: string;
  principal_yuan: string;
  interest_yuan: string;
  /** Annual rate (percent, decimal text) the interest was computed at, and its source; null when none is due. */
  interest_rate: string | null;
  interest_basis: string | null;
  /** Sealed JSON of the payee { accountNumber, accountName, bankName } (context 'deposit-refund:<id>'). */
  payee_sealed: string;
  citation: string;
  due_at: Date;
  status: RefundStatus;
  created_at: ColumnType<Date, Date, never>;
  late_flagged_at: Date | null;
  /** 超期资金占用费 owed by the initiator (87号令第三十八条) — recorded, never moved by the platform. */
  late_interest_yuan: string | null;
  executed_at: Date | null;
  bank_reference: string | null;
  decided_at: Date | null;
}

/** A collusion signal (串通投标线索), revealed to supervisors after the bid deadline. */
export interface DepositSignalsTable {
  id: string;
  lot_id: string;
  kind: 'same-payer-account';
  payer_ref: string;
  /** The blind refs of the bidders concerned (no names until the deadline). */
  bidder_refs: ColumnType<string[], string, string>;
  citation: string;
  created_at: ColumnType<Date, Date, never>;
}

/**
 * 竞买保证金 of a lot that is not tendered (挂牌、拍卖、网络竞价), set by the auction module in its own
 * transaction: the amount, the 保证金到账截止 (`deadline`), from when who paid may be known (`reveal_at`) and
 * how long a guarantee must stay valid (`validity_until`). A tendered lot has no row: its tender timeline says.
 */
export interface DepositTermsTable {
  lot_id: string;
  deposit_yuan: string;
  deadline: Date;
  reveal_at: Date;
  validity_until: Date;
  set_at: Date;
  set_by: string;
}

export interface DepositsTables {
  deposit_terms: DepositTermsTable;
  deposit_institutions: DepositInstitutionsTable;
  deposit_request_nonces: DepositRequestNoncesTable;
  deposit_accounts: DepositAccountsTable;
  deposit_transfers: DepositTransfersTable;
  deposit_guarantees: DepositGuaranteesTable;
  deposit_refunds: DepositRefundsTable;
  deposit_signals: DepositSignalsTable;
}
