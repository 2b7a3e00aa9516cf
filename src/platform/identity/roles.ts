/**
 * The roles of the platform (DESIGN §1). An account holds one or more.
 *   operator   交易中心 platform operator staff — receives, records, witnesses, serves; never approves (§48(1))
 *   initiator  项目发起方 (招标人/采购人/出让人/转让人)
 *   agency     中介服务机构 (招标代理机构)
 *   responder  项目响应方 (投标人/供应商/竞买人)
 *   expert     评标评审专家
 *   supervisor 行政监督管理部门
 *   auditor    审计 / 纪检监察 (read-only archive access)
 */
export const ROLES = [
  'operator',
  'initiator',
  'agency',
  'responder',
  'expert',
  'supervisor',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES_ZH: Record<Role, string> = {
  operator: '交易中心管理员',
  initiator: '招标人',
  agency: '代理机构',
  responder: '投标人',
  expert: '评标专家',
  supervisor: '行政监督',
  auditor: '审计',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
