/**
 * Role names and the workspace menu of each role. The role codes come from the server
 * (src/platform/identity/roles.ts); the Chinese names are repeated here because the web app is built
 * apart from the server and must not import its code.
 */
import type { RoleCode } from './api.ts';

export const ROLE_NAMES_ZH: Record<RoleCode, string> = {
  operator: '交易中心管理员',
  initiator: '招标人',
  agency: '代理机构',
  responder: '投标人',
  expert: '评标专家',
  supervisor: '行政监督',
  auditor: '审计',
};

export function roleName(code: string): string {
  if (code === 'system') return '系统'; // witness events written by the platform itself
  return (ROLE_NAMES_ZH as Record<string, string>)[code] ?? code;
}

export interface MenuItem {
  /** Route name and the last path segment under /workspace. */
  name: string;
  title: string;
  path: string;
  roles: readonly RoleCode[];
  /** Only pages that exist are implemented; the rest say plainly that they are being built. */
  implemented: boolean;
  /**
   * Also offered to an account that holds no platform role yet — a market entity's first account while its
   * registration awaits 受理 — and open to any logged-in account (the API answers for itself).
   */
  withoutRoles?: boolean;
}

const ALL: readonly RoleCode[] = [
  'operator',
  'initiator',
  'agency',
  'responder',
  'expert',
  'supervisor',
  'auditor',
];

/**
 * One ordered list for every role: a role's menu is this list filtered by the role, and an account with
 * several roles sees the union in the same order (a shared item such as 开标大厅 appears once).
 */
export const MENU: readonly MenuItem[] = [
  { name: 'home', title: '工作台首页', path: '/workspace', roles: ALL, implemented: true },
  {
    name: 'accounts',
    title: '账号管理',
    path: '/workspace/accounts',
    roles: ['operator'],
    implemented: true,
  },
  {
    name: 'entities',
    title: '市场主体受理',
    path: '/workspace/entities',
    roles: ['operator'],
    implemented: true,
  },
  {
    name: 'catalogs',
    title: '目录管理',
    path: '/workspace/catalogs',
    roles: ['operator'],
    implemented: true,
  },
  { name: 'venues', title: '场地管理', path: '/workspace/venues', roles: ['operator'], implemented: true },
  {
    name: 'project-intake',
    title: '项目受理',
    path: '/workspace/project-intake',
    roles: ['operator'],
    implemented: true,
  },
  {
    name: 'split-flags',
    title: '化整为零预警',
    path: '/workspace/split-flags',
    roles: ['operator', 'supervisor'],
    implemented: true,
  },
  {
    name: 'deposit-supervision',
    title: '保证金监管',
    path: '/workspace/deposit-supervision',
    roles: ['operator', 'supervisor'],
    implemented: true,
  },
  {
    name: 'expert-pool',
    title: '专家库',
    path: '/workspace/expert-pool',
    roles: ['operator', 'supervisor'],
    implemented: true,
  },
  {
    name: 'draw-supervision',
    title: '抽取监督',
    path: '/workspace/draw-supervision',
    roles: ['supervisor'],
    implemented: true,
  },
  { name: 'witness', title: '交易见证', path: '/workspace/witness', roles: ['operator'], implemented: true },
  { name: 'jobs', title: '任务队列', path: '/workspace/jobs', roles: ['operator'], implemented: true },
  {
    name: 'interfaces',
    title: '第三方系统接入',
    path: '/workspace/interfaces',
    roles: ['operator'],
    implemented: true,
  },
  {
    name: 'open-data-push',
    title: '数据推送',
    path: '/workspace/open-data-push',
    roles: ['operator'],
    implemented: true,
  },
  {
    name: 'statistics',
    title: '统计分析',
    path: '/workspace/statistics',
    roles: ['operator', 'supervisor', 'auditor'],
    implemented: true,
  },
  {
    name: 'my-entity',
    title: '我的单位',
    path: '/workspace/my-entity',
    roles: ['initiator', 'agency', 'responder'],
    implemented: true,
    withoutRoles: true,
  },
  {
    name: 'my-projects',
    title: '我的项目',
    path: '/workspace/my-projects',
    roles: ['initiator'],
    implemented: true,
  },
  {
    name: 'announcements',
    title: '招标公告',
    path: '/workspace/announcements',
    roles: ['initiator'],
    implemented: true,
  },
  {
    name: 'agency-projects',
    title: '代理项目',
    path: '/workspace/agency-projects',
    roles: ['agency'],
    implemented: true,
  },
  {
    name: 'tender-documents',
    title: '招标文件',
    path: '/workspace/tender-documents',
    roles: ['agency'],
    implemented: true,
  },
  {
    name: 'venue-bookings',
    title: '场地预约',
    path: '/workspace/venue-bookings',
    roles: ['initiator', 'agency'],
    implemented: true,
  },
  {
    name: 'auction-projects',
    title: '竞价项目',
    path: '/workspace/auction-projects',
    roles: ['initiator', 'agency'],
    implemented: true,
  },
  {
    name: 'my-bids',
    title: '我的投标',
    path: '/workspace/my-bids',
    roles: ['responder'],
    implemented: true,
  },
  {
    name: 'deposits',
    title: '保证金',
    path: '/workspace/deposits',
    roles: ['responder'],
    implemented: true,
  },
  {
    name: 'my-auctions',
    title: '我的竞买',
    path: '/workspace/my-auctions',
    roles: ['responder'],
    implemented: true,
  },
  {
    name: 'opening-hall',
    title: '开标大厅',
    path: '/workspace/opening-hall',
    roles: ['agency', 'responder', 'operator', 'initiator', 'supervisor'],
    implemented: true,
  },
  {
    name: 'auction-host',
    title: '竞价主持',
    path: '/workspace/auction-host',
    roles: ['operator', 'agency'],
    implemented: true,
  },
  {
    name: 'expert-draws',
    title: '专家抽取',
    path: '/workspace/expert-draws',
    roles: ['initiator', 'agency'],
    implemented: true,
  },
  {
    name: 'evaluation',
    title: '评标组织',
    path: '/workspace/evaluation',
    roles: ['initiator', 'agency'],
    implemented: true,
  },
  {
    name: 'awards',
    title: '定标',
    path: '/workspace/awards',
    roles: ['initiator', 'agency'],
    implemented: true,
  },
  {
    name: 'contracts',
    title: '合同管理',
    path: '/workspace/contracts',
    roles: ['initiator', 'agency', 'responder'],
    implemented: true,
  },
  {
    name: 'my-results',
    title: '评标澄清与结果',
    path: '/workspace/my-results',
    roles: ['responder'],
    implemented: true,
  },
  {
    name: 'expert-profile',
    title: '专家信息',
    path: '/workspace/expert-profile',
    roles: ['expert'],
    implemented: true,
  },
  {
    name: 'expert-assignments',
    title: '抽取通知',
    path: '/workspace/expert-assignments',
    roles: ['expert'],
    implemented: true,
  },
  {
    name: 'evaluation-tasks',
    title: '评标任务',
    path: '/workspace/evaluation-tasks',
    roles: ['expert', 'initiator'],
    implemented: true,
  },
  {
    name: 'live-supervision',
    title: '实时监督',
    path: '/workspace/live-supervision',
    roles: ['supervisor'],
    implemented: true,
  },
  {
    name: 'site-violations',
    title: '现场管理',
    path: '/workspace/site-violations',
    roles: ['operator', 'supervisor'],
    implemented: true,
  },
  {
    name: 'complaints',
    title: '投诉处理',
    path: '/workspace/complaints',
    roles: ['supervisor'],
    implemented: true,
  },
  {
    name: 'my-complaints',
    title: '质疑投诉',
    path: '/workspace/my-complaints',
    roles: ['responder'],
    implemented: true,
  },
  {
    name: 'complaint-responses',
    title: '投诉答复',
    path: '/workspace/complaint-responses',
    roles: ['initiator', 'agency'],
    implemented: true,
  },
  {
    name: 'warnings',
    title: '预警信息',
    path: '/workspace/warnings',
    roles: ['supervisor', 'operator'],
    implemented: true,
  },
  {
    name: 'risk-rules',
    title: '预警规则',
    path: '/workspace/risk-rules',
    roles: ['supervisor'],
    implemented: true,
  },
  {
    name: 'credit',
    title: '信用管理',
    path: '/workspace/credit',
    roles: ['supervisor', 'operator'],
    implemented: true,
  },
  {
    name: 'spot-checks',
    title: '双随机抽查',
    path: '/workspace/spot-checks',
    roles: ['supervisor'],
    implemented: true,
  },
  {
    name: 'ratings',
    title: '评价',
    path: '/workspace/ratings',
    roles: ['initiator', 'agency', 'expert', 'responder', 'supervisor', 'operator'],
    implemented: true,
  },
  {
    name: 'supervisor-scopes',
    title: '监管范围',
    path: '/workspace/supervisor-scopes',
    roles: ['operator'],
    implemented: true,
  },
  {
    name: 'duty-lists',
    title: '权责清单',
    path: '/workspace/duty-lists',
    roles: ['operator'],
    implemented: true,
  },
  {
    name: 'archives',
    title: '归档查阅',
    path: '/workspace/archives',
    roles: ['auditor'],
    implemented: false,
  },
  {
    name: 'witness-log',
    title: '见证日志',
    path: '/workspace/witness-log',
    roles: ['auditor'],
    implemented: true,
  },
];

export function menuFor(roles: readonly string[]): MenuItem[] {
  if (roles.length === 0) return MENU.filter((item) => item.name === 'home' || item.withoutRoles);
  return MENU.filter((item) => item.roles.some((r) => roles.includes(r)));
}
