import { randomUUID } from 'node:crypto';
import { importSm2PublicKeyPem, sm3Hex, verifyBase64UrlSignature } from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { institutionOrigin } from './cash.ts';
import type { ReadDb } from './context.ts';
import { bidderRefOf, type DepositsContext, WITNESS, witness } from './context.ts';
import { findEntityByCreditCode, findEntityOfOrganization, normalizeCreditCode } from './deps.ts';
import { assertBeforeDeadline, assertDepositRequired, loadDepositLot } from './lots.ts';
import { isResponderEntity } from './policy.ts';
import { CITATIONS, DEFAULT_BID_VALIDITY_DAYS } from './rules.ts';
import { type GuaranteeDocument, guaranteeSigningText } from './signing.ts';
import * as store from './store.ts';

function invalid(code: string, detail: string): InvalidInput {
  return new InvalidInput(code, { title: '电子保函未通过校验', detail });
}

/**
 * 电子保函 issued through the API by a registered bank, insurer or guarantor. Checked: the issuer's SM2
 * signature over the canonical JSON with its registered key; the lot asks a deposit and accepts guarantees;
 * the amount covers it; the validity covers the bid deadline and the bid validity period (the tender states
 * none, so the deadline + 90 days); the applicant is an accepted responder; the beneficiary is the lot's
 * initiator; issued before the deadline. The same guarantee sent again returns the stored one.
 */
export async function issueGuarantee(
  ctx: DepositsContext,
  institution: store.InstitutionRow,
  input: { guarantee: GuaranteeDocument; signature: string },
) {
  const doc = input.guarantee;
  if (
    doc.issuer.institutionId !== institution.id ||
    normalizeCreditCode(doc.issuer.creditCode) !== institution.credit_code
  ) {
    throw invalid('GUARANTEE_ISSUER_MISMATCH', '保函载明的出具机构与发送请求的机构不一致。');
  }
  const text = guaranteeSigningText(doc);
  if (!verifyBase64UrlSignature(importSm2PublicKeyPem(institution.public_key_pem), text, input.signature)) {
    throw invalid('GUARANTEE_SIGNATURE_INVALID', '保函签名与出具机构登记的 SM2 公钥不符，或保函内容被改动。');
  }
  const documentSm3 = sm3Hex(new TextEncoder().encode(text));
  const earlier = await store.findGuarantee(ctx.db, institution.id, doc.guaranteeNo);
  if (earlier) {
    if (earlier.document_sm3 !== documentSm3) {
      throw new RuleViolation('GUARANTEE_NO_REUSED', {
        title: '保函编号已使用',
        detail: `保函编号 ${doc.guaranteeNo} 已由本机构出具，内容不同。`,
      });
    }
    return { guarantee: earlier, replayed: true };
  }

  const d = await loadDepositLot(ctx.db, doc.lotId);
  const requiredYuan = assertDepositRequired(d);
  if (doc.lotCode !== d.lot.code) throw invalid('GUARANTEE_LOT_MISMATCH', '保函载明的标段编号与标段不符。');
  const forms = await ctx.acceptedForms(ctx.db, doc.lotId);
  if (!forms.includes('guarantee')) {
    throw new RuleViolation('GUARANTEE_NOT_ACCEPTED', {
      title: '本标段（包）不接受保函形式的保证金',
      detail: '招标文件规定投标保证金以现金形式从基本账户转出。',
    });
  }
  const now = ctx.clock.now();
  assertBeforeDeadline(d, now, d.law === 'rights' ? '出具竞买保函' : '出具投标保函');
  let amountFen: bigint;
  try {
    amountFen = yuanToFen(doc.amountYuan);
  } catch {
    throw invalid('GUARANTEE_AMOUNT_INVALID', '保函金额格式错误。');
  }
  if (amountFen < yuanToFen(requiredYuan)) {
    throw new RuleViolation('GUARANTEE_AMOUNT_SHORT', {
      title: '保函金额不足',
      detail: `保函金额 ${fenToYuan(amountFen)} 元，低于招标文件要求的投标保证金 ${requiredYuan} 元。`,
    });
  }
  const validFrom = new Date(doc.validFrom);
  const validUntil = new Date(doc.validUntil);
  if (Number.isNaN(validFrom.getTime()) || Number.isNaN(validUntil.getTime()) || validFrom >= validUntil) {
    throw invalid('GUARANTEE_VALIDITY_INVALID', '保函有效期格式错误或起止颠倒。');
  }
  const deadline = d.terms.deadline;
  const mustCover = d.terms.validityUntil;
  if (validFrom.getTime() > deadline.getTime() || validUntil.getTime() < mustCover.getTime()) {
    throw new RuleViolation(
      'GUARANTEE_VALIDITY_SHORT',
      d.terms.source === 'tender'
        ? {
            title: '保函有效期未覆盖投标有效期',
            detail: `保函须自投标截止时间（${deadline.toISOString()}）前生效，至少有效至投标截止后${DEFAULT_BID_VALIDITY_DAYS}日（${mustCover.toISOString()}）。`,
            citation: CITATIONS.guaranteeValidity,
          }
        : {
            title: '保函有效期未覆盖公告要求的有效期',
            detail: `保函须自保证金缴纳截止时间（${deadline.toISOString()}）前生效，至少有效至 ${mustCover.toISOString()}。`,
            citation: '出让（转让）公告载明的竞买保证金要求',
          },
    );
  }
  const applicant = await findEntityByCreditCode(ctx.db, normalizeCreditCode(doc.applicant.creditCode));
  if (applicant?.status !== 'active' || !isResponderEntity(applicant.roles)) {
    throw invalid('GUARANTEE_APPLICANT_UNKNOWN', '保函申请人不是平台已受理登记的投标人（供应商）。');
  }
  if (doc.beneficiary.organizationId !== d.lot.initiatorOrganizationId) {
    throw invalid('GUARANTEE_BENEFICIARY_MISMATCH', '保函受益人须为该标段（包）的招标人（采购人）。');
  }

  const bidderRef = bidderRefOf(ctx.sealer, doc.lotId, applicant.organizationId);
  return ctx.db.transaction().execute(async (tx) => {
    const id = randomUUID();
    const row = await store.insertGuarantee(tx, {
      id,
      institution_id: institution.id,
      guarantee_no: doc.guaranteeNo,
      lot_id: doc.lotId,
      bidder_ref: bidderRef,
      document_sealed: ctx.sealer.seal(text, `deposit-guarantee:${id}`),
      document_sm3: documentSm3,
      signature: input.signature,
      amount_yuan: fenToYuan(amountFen),
      valid_from: validFrom,
      valid_until: validUntil,
      status: 'valid',
      issued_at: now,
      revoked_at: null,
      revoke_reason: null,
      released_at: null,
    });
    if (!row) throw new RuleViolation('GUARANTEE_NO_REUSED', { title: '保函编号已使用' });
    await witness(
      tx,
      now,
      institutionOrigin(ctx.origin, institution.id),
      WITNESS.guarantee,
      id,
      'deposit-guarantee.issued',
      {
        documentSm3,
        amountYuan: row.amount_yuan,
        validUntil: validUntil.toISOString(),
      },
    );
    return { guarantee: row, replayed: false };
  });
}

/** The issuer withdraws its guarantee (撤销); it no longer satisfies the deposit. */
export async function revokeGuaranteeByIssuer(
  ctx: DepositsContext,
  institution: store.InstitutionRow,
  input: { guaranteeNo: string; reason: string },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const found = await store.findGuarantee(tx, institution.id, input.guaranteeNo);
    if (!found) throw new NotFound('GUARANTEE_NOT_FOUND', { title: '保函不存在' });
    if (found.status !== 'valid') {
      throw new RuleViolation('GUARANTEE_NOT_VALID', {
        title: '保函已不在有效状态',
        detail: found.status === 'revoked' ? '保函已撤销。' : '保函已释放。',
      });
    }
    const row = await store.revokeGuarantee(tx, found.id, now, input.reason);
    await witness(
      tx,
      now,
      institutionOrigin(ctx.origin, institution.id),
      WITNESS.guarantee,
      found.id,
      'deposit-guarantee.revoked',
      {
        reason: input.reason,
      },
    );
    return row ?? found;
  });
}

/**
 * Anyone holding a guarantee may check it: the signature with the issuer's registered key, and its status
 * on the platform. Without the document nothing is revealed (the number alone tells nothing).
 */
export async function verifyGuarantee(
  db: ReadDb,
  input: { guarantee: GuaranteeDocument; signature: string },
) {
  const problems: string[] = [];
  const institution = await store
    .findInstitution(db, input.guarantee.issuer.institutionId)
    .catch(() => undefined);
  if (!institution) {
    return { genuine: false, registered: false, status: null, problems: ['出具机构未在平台登记。'] };
  }
  const text = guaranteeSigningText(input.guarantee);
  const genuine = verifyBase64UrlSignature(
    importSm2PublicKeyPem(institution.public_key_pem),
    text,
    input.signature,
  );
  if (!genuine) problems.push('签名与出具机构登记的公钥不符，或保函内容被改动。');
  const stored = genuine
    ? await store.findGuaranteeBySm3(db, sm3Hex(new TextEncoder().encode(text)))
    : undefined;
  if (genuine && !stored) problems.push('该保函未经平台接口出具登记。');
  if (stored?.status === 'revoked') problems.push('保函已被出具机构撤销。');
  if (stored?.status === 'released') problems.push('保函已释放。');
  return {
    genuine,
    registered: stored !== undefined,
    status: stored?.status ?? null,
    issuer: { name: institution.name, kind: institution.kind, status: institution.status },
    problems,
  };
}

export function assertIssuerKind(institution: store.InstitutionRow): void {
  if (!['bank', 'insurer', 'guarantor'].includes(institution.kind)) {
    throw new Forbidden('INSTITUTION_CANNOT_ISSUE', { title: '该机构不能出具保函' });
  }
}

/** What an issuer needs to write a guarantee for a lot: its code, the beneficiary, the amount and dates. */
export async function lotForIssuer(ctx: DepositsContext, lotId: string) {
  const d = await loadDepositLot(ctx.db, lotId);
  const initiator = await findEntityOfOrganization(ctx.db, d.lot.initiatorOrganizationId);
  return {
    lotId,
    lotCode: d.lot.code,
    lotName: d.lot.name,
    projectName: d.lot.projectName,
    beneficiary: { organizationId: d.lot.initiatorOrganizationId, name: initiator?.name ?? '' },
    bidDeadline: d.terms.deadline.toISOString(),
    depositYuan: d.requiredYuan,
    acceptedForms: await ctx.acceptedForms(ctx.db, lotId),
    guaranteeMustCoverUntil: d.terms.validityUntil.toISOString(),
  };
}
