import type { Role } from '../../platform/identity/index.ts';

/**
 * 主体角色 — what a market entity registers as (数据规范 V4 LEGAL_ROLE and the role extension tables
 * 101–109, 115–118). Each maps to the platform role its accounts act in.
 */
export const ENTITY_ROLES = [
  'tenderer', // 招标人 (101)
  'purchaser', // 采购人 (104)
  'grantor', // 出让人 (107: land and mining rights)
  'transferor', // 转让人 (property rights)
  'tender_agency', // 招标代理机构 (102)
  'procurement_agency', // 采购代理机构 (105)
  'bidder', // 投标人 (103)
  'supplier', // 供应商 (106, 115)
  'competitive_bidder', // 竞买人 (109, 118)
  'assignee', // 受让人 (108, 117)
] as const;
export type EntityRole = (typeof ENTITY_ROLES)[number];

/** The platform roles a market entity's accounts may hold: never staff, experts or supervisors. */
export type EntityPlatformRole = Extract<Role, 'initiator' | 'agency' | 'responder'>;
export const ENTITY_PLATFORM_ROLES: readonly EntityPlatformRole[] = ['initiator', 'agency', 'responder'];

export const ENTITY_ROLE_INFO: Record<EntityRole, { name: string; platformRole: EntityPlatformRole }> = {
  tenderer: { name: '招标人', platformRole: 'initiator' },
  purchaser: { name: '采购人', platformRole: 'initiator' },
  grantor: { name: '出让人', platformRole: 'initiator' },
  transferor: { name: '转让人', platformRole: 'initiator' },
  tender_agency: { name: '招标代理机构', platformRole: 'agency' },
  procurement_agency: { name: '采购代理机构', platformRole: 'agency' },
  bidder: { name: '投标人', platformRole: 'responder' },
  supplier: { name: '供应商', platformRole: 'responder' },
  competitive_bidder: { name: '竞买人', platformRole: 'responder' },
  assignee: { name: '受让人', platformRole: 'responder' },
};

/**
 * Roles the law reserves for organisations, so a natural person (自然人) may not hold them — each with
 * its citation, shown when a registration is refused.
 */
export const ORGANIZATION_ONLY_ROLES: Partial<Record<EntityRole, string>> = {
  tenderer: '《中华人民共和国招标投标法》第八条（招标人是提出招标项目、进行招标的法人或者其他组织）',
  purchaser: '《中华人民共和国政府采购法》第十五条（采购人是依法进行政府采购的国家机关、事业单位、团体组织）',
  grantor:
    '《中华人民共和国城镇国有土地使用权出让和转让暂行条例》第十一条（出让方为市、县人民政府土地管理部门）',
  tender_agency: '《中华人民共和国招标投标法》第十三条（招标代理机构是依法设立的社会中介组织）',
  procurement_agency:
    '《中华人民共和国政府采购法》第十六条、第十九条（采购代理机构是集中采购机构或依法设立的中介机构）',
};

export function isEntityRole(value: string): value is EntityRole {
  return (ENTITY_ROLES as readonly string[]).includes(value);
}

/** The platform roles, in a fixed order, that a set of entity roles gives its accounts. */
export function platformRolesOf(roles: readonly EntityRole[]): EntityPlatformRole[] {
  const held = new Set(roles.map((r) => ENTITY_ROLE_INFO[r].platformRole));
  return ENTITY_PLATFORM_ROLES.filter((r) => held.has(r));
}
