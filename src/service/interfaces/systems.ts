import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { allowsKeyUsage, type ParsedCertificate, parseCertificate } from '../../platform/certs/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { exportSm2PublicKeyPem, importSm2PublicKeyDer } from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { appendWitnessEvent, type WitnessTables } from '../../platform/witness/index.ts';
import type { StatisticsTables } from '../../supervision/statistics/index.ts';
import { type CatalogsTables, findPlatform, listPlatforms } from '../catalogs/index.ts';
import { dataspecTable } from '../dataspec/index.ts';
import {
  type RegisterSystemBody,
  SYSTEM_KIND_NAMES_ZH,
  SYSTEM_STATUS_NAMES_ZH,
  type SystemView,
} from './schemas.ts';
import * as store from './store.ts';
import type { InterfacesTables, SystemKind } from './tables.ts';

export type InterfacesDb = InterfacesTables & WitnessTables & CatalogsTables & StatisticsTables;
export type InterfacesContext = UseCaseContext<InterfacesDb>;
export type ReadDb = Kysely<InterfacesDb>;

export const SYSTEM_WITNESS_TYPE = 'third-party-system';
export const PUSH_WITNESS_TYPE = 'interface-push';
export const CITATION_29 = '《内蒙古自治区公共资源交易管理办法》第二十九条';

export function requireOperator(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有交易中心工作人员可以管理第三方系统接入。',
    });
  }
  return actor;
}

const parseList = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

export interface SystemScope {
  regionPrefixes: string[];
  tables: string[];
}

export function scopeOf(row: store.SystemRow): SystemScope {
  return { regionPrefixes: parseList(row.region_prefixes), tables: parseList(row.tables) };
}

export function toSystemView(row: store.SystemRow): SystemView {
  const scope = scopeOf(row);
  return {
    id: row.id,
    platformCode: row.platform_code,
    name: row.name,
    kind: row.kind,
    kindName: SYSTEM_KIND_NAMES_ZH[row.kind],
    certificateSubject: row.certificate_subject,
    certificateSm3: row.certificate_sm3,
    certificateNotAfter: row.certificate_not_after.toISOString(),
    regionPrefixes: scope.regionPrefixes,
    tables: scope.tables,
    status: row.status,
    statusName: SYSTEM_STATUS_NAMES_ZH[row.status],
    revokeReason: row.revoke_reason,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}

/** The region code without its trailing zero pairs: 150100 → 1501, 150000 → 15. */
export function regionPrefixOf(regionCode: string): string {
  let prefix = regionCode;
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}

function invalid(field: string, title: string, detail: string): InvalidInput {
  return new InvalidInput('SYSTEM_INVALID', { title, detail, extensions: { field } });
}

/** The SM2 certificate a system signs with: parsed, SM2, valid now, allowed to sign. */
function checkCertificate(pem: string, now: Date): { cert: ParsedCertificate; publicKeyPem: string } {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(pem);
  } catch {
    throw invalid('certificatePem', '证书无法解析', '请粘贴 PEM 格式（BEGIN CERTIFICATE）的 X.509 证书。');
  }
  if (cert.publicKey.kind !== 'sm2') {
    throw invalid('certificatePem', '证书不是 SM2 证书', '第三方系统须使用 SM2（国密）签名证书。');
  }
  if (now < cert.notBefore || now > cert.notAfter) {
    throw invalid(
      'certificatePem',
      '证书不在有效期内',
      `证书有效期为 ${cert.notBefore.toISOString()} 至 ${cert.notAfter.toISOString()}。`,
    );
  }
  if (!allowsKeyUsage(cert, 'digitalSignature')) {
    throw invalid('certificatePem', '证书不能用于签名', '证书的密钥用法不含数字签名（digitalSignature）。');
  }
  try {
    return { cert, publicKeyPem: exportSm2PublicKeyPem(importSm2PublicKeyDer(cert.publicKey.spki)) };
  } catch {
    throw invalid('certificatePem', '证书中的 SM2 公钥无效', '证书中的公钥不是有效的 SM2 公钥。');
  }
}

/**
 * 接入登记 (§29): the operator registers a certified third-party trading system or a 盟市 platform of the
 * 平台目录 with its SM2 certificate and the data it owns. Witnessed.
 */
export async function registerSystem(ctx: InterfacesContext, input: RegisterSystemBody): Promise<SystemView> {
  const actor = requireOperator(ctx.actor);
  const platform = await findPlatform(ctx.db, input.platformCode);
  if (!platform) {
    throw new InvalidInput('PLATFORM_NOT_FOUND', {
      title: '平台目录中没有该平台',
      detail: `平台标识码 ${input.platformCode} 不在平台目录中，请先将其纳入平台目录。`,
      extensions: { field: 'platformCode' },
      citation: CITATION_29,
    });
  }
  const kind = (await listPlatforms(ctx.db)).find((p) => p.code === platform.code)?.kind;
  if (kind !== 'third-party' && kind !== 'city-centre') {
    throw invalid('platformCode', '该平台不能接入', '只有第三方电子交易系统或盟市交易平台可以登记接口凭证。');
  }
  if (platform.status !== 'active') {
    throw new RuleViolation('PLATFORM_SUSPENDED', {
      title: '该平台已暂停',
      detail: `${platform.name}在平台目录中处于暂停状态，不能登记接口凭证。`,
    });
  }
  const tables = [...new Set(input.tables)];
  const unknownTable = tables.find((t) => !dataspecTable(t));
  if (unknownTable) {
    throw invalid('tables', '数据表不在数据规范中', `数据规范中没有数据表 ${unknownTable}。`);
  }
  const own = regionPrefixOf(platform.regionCode);
  const prefixes = [...new Set(input.regionPrefixes)];
  const outside = prefixes.find((p) => !p.startsWith(own));
  if (outside) {
    throw invalid(
      'regionPrefixes',
      '行政区划超出该平台的地区',
      `${platform.name}的地区为 ${platform.regionCode}，可登记的行政区划前缀须以 ${own} 开头（收到 ${outside}）。`,
    );
  }
  const at = ctx.clock.now();
  const { cert, publicKeyPem } = checkCertificate(input.certificatePem, at);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertSystem(tx, {
      id: randomUUID(),
      platform_code: platform.code,
      name: platform.name,
      kind: kind satisfies SystemKind,
      certificate_pem: input.certificatePem.trim(),
      public_key_pem: publicKeyPem,
      certificate_sm3: cert.fingerprintSm3,
      certificate_subject: cert.subject.text,
      certificate_not_after: cert.notAfter,
      region_prefixes: JSON.stringify(prefixes),
      tables: JSON.stringify(tables),
      status: 'active',
      revoke_reason: null,
      registered_by: actor.accountId,
      created_at: at,
      updated_at: at,
      revoked_at: null,
    });
    if (!row) {
      throw new RuleViolation('SYSTEM_EXISTS', {
        title: '该平台已有有效的接口凭证',
        detail: `${platform.name}（${platform.code}）已登记接口凭证；更换证书请先吊销原凭证。`,
      });
    }
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: SYSTEM_WITNESS_TYPE,
      entityId: row.id,
      action: 'third-party-system.registered',
      payload: {
        platformCode: row.platform_code,
        kind: row.kind,
        certificateSm3: row.certificate_sm3,
        regionPrefixes: prefixes,
        tables,
      },
    });
    return toSystemView(row);
  });
}

export async function revokeSystem(ctx: InterfacesContext, id: string, reason: string): Promise<SystemView> {
  requireOperator(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const before = await store.findSystem(tx, id);
    if (!before) throw new NotFound('SYSTEM_NOT_FOUND', { title: '接入系统不存在' });
    if (before.status === 'revoked') {
      throw new RuleViolation('SYSTEM_ALREADY_REVOKED', {
        title: '该接口凭证已吊销',
        detail: `${before.name}的凭证已于 ${before.revoked_at?.toISOString() ?? ''} 吊销。`,
      });
    }
    const row = await store.revokeSystem(tx, id, reason, at);
    if (!row) throw new NotFound('SYSTEM_NOT_FOUND', { title: '接入系统不存在' });
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: SYSTEM_WITNESS_TYPE,
      entityId: id,
      action: 'third-party-system.revoked',
      payload: { platformCode: row.platform_code, reason },
    });
    return toSystemView(row);
  });
}

export async function listSystems(ctx: InterfacesContext): Promise<SystemView[]> {
  requireOperator(ctx.actor);
  return (await store.listSystems(ctx.db)).map(toSystemView);
}
