import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { MENU } from './roles.ts';
import { useSessionStore } from './stores/session.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title, shown in the tab: `<title> - 内蒙古自治区公共资源交易平台`. */
    title?: string;
    requiresAuth?: boolean;
    /** Roles that may open the page; empty or absent means any logged-in account. */
    roles?: readonly string[];
  }
}

const pageFor: Record<string, () => Promise<unknown>> = {
  home: () => import('./views/workspace/DashboardHome.vue'),
  accounts: () => import('./views/workspace/AccountsPage.vue'),
  witness: () => import('./views/workspace/WitnessPage.vue'),
  'witness-log': () => import('./views/workspace/WitnessPage.vue'),
  entities: () => import('./views/workspace/EntityReviewPage.vue'),
  'my-entity': () => import('./views/workspace/MyEntityPage.vue'),
  catalogs: () => import('./views/workspace/CatalogAdminPage.vue'),
  venues: () => import('./views/workspace/VenueAdminPage.vue'),
  announcements: () => import('./views/workspace/TenderManagePage.vue'),
  'tender-documents': () => import('./views/workspace/TenderManagePage.vue'),
  'venue-bookings': () => import('./views/workspace/VenueBookingPage.vue'),
  'my-bids': () => import('./views/workspace/TenderBiddingPage.vue'),
  deposits: () => import('./views/workspace/DepositsPage.vue'),
  'deposit-supervision': () => import('./views/workspace/DepositSupervisionPage.vue'),
  'opening-hall': () => import('./views/workspace/OpeningHallPage.vue'),
  'my-projects': () => import('./views/workspace/projects/MyProjectsPage.vue'),
  'agency-projects': () => import('./views/workspace/projects/MyProjectsPage.vue'),
  'project-intake': () => import('./views/workspace/projects/ProjectIntakePage.vue'),
  'split-flags': () => import('./views/workspace/projects/SplitFlagsPage.vue'),
  'expert-profile': () => import('./views/workspace/experts/ExpertProfilePage.vue'),
  'expert-pool': () => import('./views/workspace/experts/ExpertPoolPage.vue'),
  'expert-draws': () => import('./views/workspace/ExpertDrawsPage.vue'),
  'expert-assignments': () => import('./views/workspace/ExpertAssignmentsPage.vue'),
  'draw-supervision': () => import('./views/workspace/DrawSupervisionPage.vue'),
  jobs: () => import('./views/workspace/JobsPage.vue'),
  interfaces: () => import('./views/workspace/InterfacesPage.vue'),
  'open-data-push': () => import('./views/workspace/OpenDataPushPage.vue'),
  statistics: () => import('./views/workspace/StatisticsDashboardPage.vue'),
  evaluation: () => import('./views/workspace/evaluation/EvaluationOrganisePage.vue'),
  'evaluation-tasks': () => import('./views/workspace/evaluation/EvaluationTasksPage.vue'),
  'my-results': () => import('./views/workspace/MyResultsPage.vue'),
  awards: () => import('./views/workspace/awards/AwardsPage.vue'),
  contracts: () => import('./views/workspace/contracts/ContractsPage.vue'),
  'live-supervision': () => import('./views/workspace/oversight/LiveSupervisionPage.vue'),
  'site-violations': () => import('./views/workspace/oversight/SiteViolationsPage.vue'),
  'supervisor-scopes': () => import('./views/workspace/oversight/ScopesAdminPage.vue'),
  'duty-lists': () => import('./views/workspace/oversight/DutyListsAdminPage.vue'),
  complaints: () => import('./views/workspace/complaints/ComplaintHandlingPage.vue'),
  'my-complaints': () => import('./views/workspace/complaints/MyComplaintsPage.vue'),
  'complaint-responses': () => import('./views/workspace/complaints/RespondentPage.vue'),
  warnings: () => import('./views/workspace/monitoring/WarningsPage.vue'),
  'risk-rules': () => import('./views/workspace/monitoring/RiskRulesPage.vue'),
  credit: () => import('./views/workspace/credit/CreditManagePage.vue'),
  'spot-checks': () => import('./views/workspace/inspections/SpotChecksPage.vue'),
  ratings: () => import('./views/workspace/ratings/RatingsPage.vue'),
  'auction-projects': () => import('./views/workspace/auctions/AuctionProjectsPage.vue'),
  'my-auctions': () => import('./views/workspace/auctions/MyAuctionsPage.vue'),
  'auction-host': () => import('./views/workspace/auctions/AuctionHostPage.vue'),
};

const workspaceChildren: RouteRecordRaw[] = MENU.map((item) => ({
  path: item.path === '/workspace' ? '' : item.path.slice('/workspace/'.length),
  name: item.name,
  component: item.implemented ? pageFor[item.name]! : () => import('./views/workspace/UnderConstruction.vue'),
  meta: {
    title: item.title,
    requiresAuth: true,
    roles: item.name === 'home' || item.withoutRoles ? [] : item.roles,
  },
}));

const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'portal',
    component: () => import('./views/PortalHome.vue'),
    meta: { title: '门户首页' },
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/LoginPage.vue'),
    meta: { title: '登录' },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('./views/RegisterPage.vue'),
    meta: { title: '市场主体注册' },
  },
  {
    path: '/entities',
    name: 'entity-search',
    component: () => import('./views/EntitySearchPage.vue'),
    meta: { title: '市场主体查询' },
  },
  {
    path: '/announcements',
    name: 'announcement-list',
    component: () => import('./views/portal/AnnouncementListPage.vue'),
    meta: { title: '交易公告' },
  },
  {
    path: '/announcements/verify',
    name: 'announcement-verify',
    component: () => import('./views/portal/AnnouncementVerifyPage.vue'),
    meta: { title: '核验公告' },
  },
  {
    path: '/announcements/:id',
    name: 'announcement-detail',
    component: () => import('./views/portal/AnnouncementDetailPage.vue'),
    meta: { title: '公告详情' },
  },
  {
    path: '/auctions',
    name: 'auction-list',
    component: () => import('./views/portal/AuctionListPage.vue'),
    meta: { title: '竞价交易' },
  },
  {
    path: '/auctions/:id',
    name: 'auction-detail',
    component: () => import('./views/portal/AuctionDetailPage.vue'),
    meta: { title: '竞价项目详情' },
  },
  {
    path: '/auctions/:id/room',
    name: 'auction-room',
    component: () => import('./views/portal/AuctionRoomPage.vue'),
    meta: { title: '竞价室' },
  },
  {
    path: '/expert-draws/:id',
    name: 'expert-draw-record',
    component: () => import('./views/portal/DrawRecordPage.vue'),
    meta: { title: '专家抽取公开记录' },
  },
  {
    path: '/experts/apply',
    name: 'expert-apply',
    component: () => import('./views/portal/ExpertApplyPage.vue'),
    meta: { title: '评标专家入库申请' },
  },
  {
    path: '/supervision',
    name: 'supervision-portal',
    component: () => import('./views/portal/SupervisionPortalPage.vue'),
    meta: { title: '监督公开' },
  },
  {
    path: '/credit',
    name: 'credit-portal',
    component: () => import('./views/portal/CreditListsPage.vue'),
    meta: { title: '信用信息' },
  },
  {
    path: '/complaint-decisions',
    name: 'complaint-decisions-portal',
    component: () => import('./views/portal/ComplaintDecisionsPage.vue'),
    meta: { title: '投诉处理决定' },
  },
  {
    path: '/spot-checks',
    name: 'spot-checks-portal',
    component: () => import('./views/portal/SpotCheckResultsPage.vue'),
    meta: { title: '双随机抽查结果' },
  },
  {
    path: '/duty-lists',
    name: 'duty-lists-portal',
    component: () => import('./views/portal/DutyListsPage.vue'),
    meta: { title: '权责清单与服务事项清单' },
  },
  {
    path: '/service-ratings',
    name: 'service-ratings-portal',
    component: () => import('./views/portal/ServiceRatingsPage.vue'),
    meta: { title: '平台服务评价' },
  },
  {
    path: '/statistics',
    name: 'statistics-portal',
    component: () => import('./views/portal/StatisticsPage.vue'),
    meta: { title: '交易数据统计' },
  },
  {
    path: '/open-data',
    name: 'open-data',
    component: () => import('./views/portal/OpenDataPage.vue'),
    meta: { title: '数据开放' },
  },
  {
    path: '/catalog',
    name: 'catalog',
    component: () => import('./views/CatalogPage.vue'),
    meta: { title: '交易目录' },
  },
  {
    path: '/workspace',
    component: () => import('./views/WorkspaceLayout.vue'),
    meta: { requiresAuth: true },
    children: workspaceChildren,
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFound.vue'),
    meta: { title: '页面不存在' },
  },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  if (!to.matched.some((r) => r.meta.requiresAuth)) return true;
  const session = useSessionStore();
  let account = session.account;
  try {
    account = await session.ensureLoaded();
  } catch {
    account = null; // the server could not be asked: treat as logged out, the login page says why
  }
  if (!account) return { name: 'login', query: { redirect: to.fullPath } };
  const roles = to.meta.roles;
  if (roles && roles.length > 0 && !roles.some((r) => account.roles.includes(r))) {
    return { name: 'home' };
  }
  return true;
});

router.afterEach((to) => {
  const site = '内蒙古自治区公共资源交易平台';
  document.title = to.meta.title ? `${to.meta.title} - ${site}` : site;
});

/** Only same-site paths are followed after login (no open redirect to another origin). */
export function safeRedirect(value: unknown): string {
  if (typeof value !== 'string') return '/workspace';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/workspace';
  if (value.startsWith('/login')) return '/workspace';
  return value;
}
