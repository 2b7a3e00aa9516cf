import type { Clock } from '../platform/clock/index.ts';
import { isCalendarDate, shanghaiDateOf } from '../platform/clock/index.ts';
import { getProcedure, type ProcedureType, suggestTimeline } from '../trading/procedures/index.ts';
import { type DemoClient, type DemoPeople, DemoRequestError } from './demo-client.ts';

/**
 * Demo trading data for `npm start`, written by the demo people through the platform's API (so every
 * change is checked, witnessed and schedules its jobs exactly as in use):
 *  - 场地: two opening rooms and two (isolated) evaluation rooms of the platform P1500000001;
 *  - 呼和浩特市示范第一中学教学楼建设工程 (0101, 依法必须招标, two lots), the agency authorised, received;
 *    lot 1 has its 招标文件, a published 招标公告 with the shortest lawful timeline, the opening room booked
 *    at the opening time, and toubiao1's organisation has obtained the documents;
 *  - 呼和浩特市示范第一中学实验室设备采购 (0201 政府采购货物), received, with a published 采购公告;
 *  - 呼和浩特市示范第一中学运动场改造工程, registered and waiting in 项目受理.
 * Each step first looks whether it was done (a start killed half-way completes the rest on the next start).
 */
export const DEMO_PLATFORM_CODE = 'P1500000001';

export const DEMO_ROOMS = [
  { code: 'KB-01', name: '第一开标室', kind: 'opening', capacity: 60, location: '交易中心三楼 301' },
  { code: 'KB-02', name: '第二开标室', kind: 'opening', capacity: 40, location: '交易中心三楼 305' },
  {
    code: 'PB-01',
    name: '第一评标室',
    kind: 'evaluation',
    capacity: 15,
    location: '交易中心四楼 401（隔离区）',
  },
  {
    code: 'PB-02',
    name: '第二评标室',
    kind: 'evaluation',
    capacity: 15,
    location: '交易中心四楼 402（隔离区）',
  },
] as const;

/** The literal text the announcement shows as characters (the browser test proves it is never run). */
export const DEMO_MARKUP_SAMPLE = '<script>alert(1)</script>';

const AGENCY_CREDIT_CODE = '91150100MA0000007W';

interface LotView {
  id: string;
  code: string;
  name: string;
  procedureType: ProcedureType;
  rulesAsOf: string;
}
interface ProjectView {
  id: string;
  code: string;
  name: string;
  status: string;
  version: number;
  lots: LotView[];
  authorisations: { current: boolean }[];
}
interface ProjectList {
  items: { id: string; name: string }[];
}
interface AnnouncementView {
  id: string;
  kind: string;
  status: 'draft' | 'published';
}

interface DemoProject {
  name: string;
  catalogItemCode: string;
  mandatoryTender: boolean;
  fundSource: string;
  budgetYuan: string;
  regionCode: string;
  address: string;
  approvalDocuments: { name: string; number: string; authority: string }[];
  lots: { name: string; procedureType: ProcedureType; estimateYuan: string; content: string }[];
}

const SCHOOL_BUILDING: DemoProject = {
  name: '呼和浩特市示范第一中学教学楼建设工程',
  catalogItemCode: '0101',
  mandatoryTender: true,
  fundSource: '财政资金',
  budgetYuan: '12000000.00',
  regionCode: '150102',
  address: '呼和浩特市新城区新华大街示范路1号',
  approvalDocuments: [
    {
      name: '关于呼和浩特市示范第一中学教学楼建设工程可行性研究报告的批复',
      number: '呼发改审批〔2026〕12号',
      authority: '呼和浩特市发展和改革委员会',
    },
  ],
  lots: [
    {
      name: '施工一标段（主体工程）',
      procedureType: 'open-tender.works',
      estimateYuan: '8000000.00',
      content: '教学楼主体结构、建筑装饰装修及给排水、电气安装工程',
    },
    {
      name: '施工二标段（附属工程）',
      procedureType: 'open-tender.works',
      estimateYuan: '4000000.00',
      content: '室外管网、道路、绿化及围墙等附属工程',
    },
  ],
};

const LABORATORY: DemoProject = {
  name: '呼和浩特市示范第一中学实验室设备采购',
  catalogItemCode: '0201',
  mandatoryTender: false,
  fundSource: '财政资金',
  budgetYuan: '4800000.00',
  regionCode: '150102',
  address: '呼和浩特市新城区新华大街示范路1号',
  approvalDocuments: [
    {
      name: '政府采购预算批复',
      number: '呼财采〔2026〕35号',
      authority: '呼和浩特市财政局',
    },
  ],
  lots: [
    {
      name: '理化生实验室设备',
      procedureType: 'open-tender.gp',
      estimateYuan: '4800000.00',
      content: '物理、化学、生物实验室成套设备及安装调试、培训',
    },
  ],
};

const SPORTS_GROUND: DemoProject = {
  name: '呼和浩特市示范第一中学运动场改造工程',
  catalogItemCode: '0101',
  mandatoryTender: true,
  fundSource: '财政资金',
  budgetYuan: '6500000.00',
  regionCode: '150102',
  address: '呼和浩特市新城区新华大街示范路1号',
  approvalDocuments: [
    {
      name: '关于呼和浩特市示范第一中学运动场改造工程初步设计的批复',
      number: '呼发改审批〔2026〕27号',
      authority: '呼和浩特市发展和改革委员会',
    },
  ],
  lots: [
    {
      name: '施工',
      procedureType: 'open-tender.works',
      estimateYuan: '6500000.00',
      content: '400米标准塑胶跑道、人造草坪足球场及看台改造',
    },
  ],
};

/**
 * The documents are on offer from a moment after the seed publishes the announcement (a timeline may not
 * start before its own publication), so that toubiao1 obtains them before the server opens. The rest of
 * the seed runs meanwhile, so the download rarely waits.
 */
const DOCUMENTS_OPEN_AFTER_MS = 600;

/** Who holds the demo lot's opening-key shares (each has bound demo certificates). */
export interface DemoCustodians {
  centre: string;
  supervisor: string;
  agency: string;
}

export async function seedDemoTrading(
  deps: { clock: Clock },
  people: DemoPeople,
  custodians: DemoCustodians,
): Promise<{ buildingLotId: string }> {
  const { admin, zhaobiao, daili } = people;

  const rooms = await ensureRooms(admin);

  const building = await ensureReceivedProject(people, SCHOOL_BUILDING, { withAgency: true });
  const buildingLot = building.lots[0]!;
  await ensurePublished(deps.clock, daili, buildingLot, {
    documents: {
      filename: '呼和浩特市示范第一中学教学楼建设工程施工一标段招标文件（演示）.txt',
      content: tenderDocumentsText(building, buildingLot),
    },
    title: `${SCHOOL_BUILDING.name}${buildingLot.name}招标公告`,
    depositYuan: '80000.00',
    body: tenderAnnouncementBody(building, buildingLot),
    // The opening-key fallback (电子招标投标办法第三十一条), its key split 2-of-3 among the centre, the
    // supervisor and the agency.
    bidSettings: {
      allowFallback: true,
      decryptWindowMinutes: 30,
      openingKey: {
        threshold: 2,
        custodians: [
          { accountId: custodians.centre, label: '交易中心' },
          { accountId: custodians.supervisor, label: '行政监督部门' },
          { accountId: custodians.agency, label: '招标代理机构' },
        ],
      },
    },
  });
  await ensureOpeningBooked(daili, buildingLot, rooms.get('KB-01')!);

  const laboratory = await ensureReceivedProject(people, LABORATORY, { withAgency: true });
  const laboratoryLot = laboratory.lots[0]!;
  await ensurePublished(deps.clock, daili, laboratoryLot, {
    documents: {
      filename: '呼和浩特市示范第一中学实验室设备采购招标文件（演示）.txt',
      content: tenderDocumentsText(laboratory, laboratoryLot),
    },
    title: `${LABORATORY.name}公开招标采购公告`,
    depositYuan: '50000.00',
    body: procurementAnnouncementBody(laboratory, laboratoryLot),
  });

  // Registered, not yet received: the one item in 项目受理's queue.
  if (!(await findOwnProject(zhaobiao, SPORTS_GROUND.name)))
    await zhaobiao.post('/api/projects', SPORTS_GROUND);

  await ensureDownloaded(deps.clock, people.toubiao1, buildingLot);
  return { buildingLotId: buildingLot.id };
}

async function ensureRooms(admin: DemoClient): Promise<Map<string, string>> {
  const existing = await admin.get<{ items: { id: string; code: string }[] }>('/api/admin/venues/rooms');
  const ids = new Map(existing.items.map((r) => [r.code, r.id]));
  for (const room of DEMO_ROOMS) {
    if (ids.has(room.code)) continue;
    const created = await admin.post<{ id: string }>('/api/admin/venues/rooms', {
      ...room,
      isolated: room.kind === 'evaluation',
      platformCode: DEMO_PLATFORM_CODE,
      facilities:
        room.kind === 'opening' ? '电子开标系统、音视频录制、大屏' : '隔离评标终端、音视频监控、屏蔽设备',
    });
    ids.set(room.code, created.id);
  }
  return ids;
}

async function findOwnProject(initiator: DemoClient, name: string): Promise<ProjectView | null> {
  const list = await initiator.get<ProjectList>('/api/my/projects?limit=100');
  const item = list.items.find((p) => p.name === name);
  return item ? initiator.get<ProjectView>(`/api/projects/${item.id}`) : null;
}

/** 项目登记 by the school, 委托代理 to the demo agency, 受理 by the trading centre. */
async function ensureReceivedProject(
  people: DemoPeople,
  project: DemoProject,
  opts: { withAgency: boolean },
): Promise<ProjectView> {
  const { zhaobiao, admin } = people;
  let view =
    (await findOwnProject(zhaobiao, project.name)) ??
    (await zhaobiao.post<ProjectView>('/api/projects', project));
  if (opts.withAgency && !view.authorisations.some((a) => a.current)) {
    view = await zhaobiao.post<ProjectView>(`/api/projects/${view.id}/authorisations`, {
      agencyCreditCode: AGENCY_CREDIT_CODE,
      documentName: '招标代理委托合同',
      documentNumber: 'ZX-2026-018',
      scope: '招标代理全过程：编制招标文件、发布公告、组织开标评标、发布结果公告',
    });
  }
  if (view.status === 'submitted') {
    view = await admin.post<ProjectView>(`/api/admin/projects/${view.id}/receive`, {
      reviewedVersion: view.version,
      catalogItemCode: project.catalogItemCode,
      note: '登记材料齐全，予以受理（演示数据）。',
    });
  }
  return view;
}

/**
 * 上传招标文件 and publish the lot's first announcement (招标公告 / 采购公告) with the shortest lawful timeline
 * from just after now.
 */
async function ensurePublished(
  clock: Clock,
  party: DemoClient,
  lot: LotView,
  input: {
    documents: { filename: string; content: string };
    title: string;
    body: string;
    /** 投标保证金 (at most 2% of the estimate). */
    depositYuan: string;
    /** 投标设置, saved before publication (they are fixed once the documents are on offer). */
    bidSettings?: Record<string, unknown>;
  },
): Promise<void> {
  const documents = await party.get<{ versions: unknown[] }>(`/api/lots/${lot.id}/documents`);
  if (documents.versions.length === 0) {
    const sha256 = await party.upload(
      'tender-documents.txt',
      'text/plain',
      Buffer.from(input.documents.content),
    );
    await party.post(`/api/lots/${lot.id}/documents`, {
      sha256,
      filename: input.documents.filename,
      note: '演示数据：示例招标文件',
    });
  }
  const kind = getProcedure(lot.procedureType).firstAnnouncementKind;
  const announcements = await party.get<{ items: AnnouncementView[] }>(`/api/lots/${lot.id}/announcements`);
  if (announcements.items.some((a) => a.kind === kind && a.status === 'published')) return;
  if (input.bidSettings) await party.put(`/api/lots/${lot.id}/bid-settings`, input.bidSettings);

  const rulesAsOf = isCalendarDate(lot.rulesAsOf) ? lot.rulesAsOf : shanghaiDateOf(clock.now());
  const timelineFrom = (attempt: number) => {
    const from = new Date(clock.now().getTime() + attempt * DOCUMENTS_OPEN_AFTER_MS);
    const timeline = suggestTimeline(lot.procedureType, from, rulesAsOf);
    return {
      documentsFrom: timeline.documentsFrom.toISOString(),
      documentsUntil: timeline.documentsUntil.toISOString(),
      bidDeadline: timeline.bidDeadline.toISOString(),
      openingAt: timeline.openingAt.toISOString(),
    };
  };
  const existing = announcements.items.find((a) => a.kind === kind && a.status === 'draft');
  const url = `/api/lots/${lot.id}/announcements`;
  const draft = existing
    ? await party.put<AnnouncementView>(`${url}/${existing.id}`, { timeline: timelineFrom(1) })
    : await party.post<AnnouncementView>(url, {
        kind,
        title: input.title,
        body: input.body,
        depositYuan: input.depositYuan,
        timeline: timelineFrom(1),
      });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await party.post(`${url}/${draft.id}/publish`);
      return;
    } catch (error) {
      // A machine so slow that publication came after the documents' start: start them later.
      if (!(error instanceof DemoRequestError && error.code === 'TIMELINE_OUT_OF_ORDER') || attempt === 3) {
        throw error;
      }
      await party.put(`${url}/${draft.id}`, { timeline: timelineFrom(attempt + 1) });
    }
  }
}

/** 场地预约: the opening room for two hours from the lot's opening time. */
async function ensureOpeningBooked(party: DemoClient, lot: LotView, roomId: string): Promise<void> {
  const bookings = await party.get<{ items: { purpose: string; status: string }[] }>(
    `/api/lots/${lot.id}/venue-bookings`,
  );
  if (bookings.items.some((b) => b.purpose === 'opening' && b.status === 'booked')) return;
  const { openingAt } = await party.get<{ openingAt: string }>(`/api/lots/${lot.id}/timeline`);
  const startsAt = new Date(openingAt);
  await party.post(`/api/lots/${lot.id}/venue-bookings`, {
    roomId,
    purpose: 'opening',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
    expectedAttendees: 30,
    note: '开标会（演示数据）',
  });
}

/** 获取招标文件 by a bidder, once the documents are on offer (a moment after publication). */
async function ensureDownloaded(clock: Clock, bidder: DemoClient, lot: LotView): Promise<void> {
  const timeline = await bidder.get<{ documentsFrom: string; documentsUntil: string }>(
    `/api/lots/${lot.id}/timeline`,
  );
  // A start resumed after the documents period (a seed killed half-way, restarted much later) skips it.
  if (clock.now().getTime() > new Date(timeline.documentsUntil).getTime()) return;
  await untilPlatformTime(clock, new Date(timeline.documentsFrom));
  const documents = await bidder.get<{ downloadedByMe: boolean }>(`/api/lots/${lot.id}/documents`);
  if (documents.downloadedByMe) return;
  await bidder.download(`/api/lots/${lot.id}/documents/file`);
}

/** Waits (in real time) until the platform clock reaches `at`; a clock that does not move is an error. */
async function untilPlatformTime(clock: Clock, at: Date): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (clock.now().getTime() < at.getTime()) {
    if (Date.now() > giveUp) throw new Error(`platform time did not reach ${at.toISOString()}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, at.getTime() - clock.now().getTime())));
  }
}

function tenderDocumentsText(project: ProjectView, lot: LotView): string {
  return [
    `${project.name}`,
    `${lot.name} 招标文件（演示）`,
    '',
    `项目编号：${project.code}`,
    `标段（包）编号：${lot.code}`,
    '',
    '第一章 招标公告（见平台发布的公告）',
    '第二章 投标人须知',
    '第三章 评标办法（综合评估法）',
    '第四章 合同条款及格式',
    '第五章 工程量清单 / 采购需求',
    '第六章 投标文件格式',
    '',
    '本文件为 ggzy 演示数据，不是真实的招标文件。',
    '',
  ].join('\n');
}

function tenderAnnouncementBody(project: ProjectView, lot: LotView): string {
  return [
    `1. 招标条件：${project.name}已由呼和浩特市发展和改革委员会批准建设（呼发改审批〔2026〕12号），资金来源为财政资金，招标人为呼和浩特市示范第一中学（演示），招标代理机构为内蒙古正信招标代理有限公司（演示）。项目已具备招标条件，现对该项目${lot.name}进行公开招标。`,
    `2. 项目概况与招标范围：标段编号 ${lot.code}，估算价 800 万元；教学楼主体结构、建筑装饰装修及给排水、电气安装工程。`,
    '3. 投标保证金：人民币 8 万元，以银行转账、银行保函等非现金形式从投标人基本账户提交。',
    '4. 投标人资格要求：具备建筑工程施工总承包二级及以上资质，具有有效的安全生产许可证；本次招标不接受联合体投标。',
    '5. 招标文件的获取：已在平台登记的投标人于获取时间内登录平台下载招标文件，下载即留痕。',
    '6. 投标文件的递交：投标文件须于投标截止时间前通过平台加密上传，逾期上传的，平台不予接收。',
    `7. 说明：本公告为 ggzy 演示数据。公告正文是纯文本，示例：页面会原样显示 ${DEMO_MARKUP_SAMPLE} 这样的文字，而不会执行它。`,
  ].join('\n');
}

function procurementAnnouncementBody(project: ProjectView, lot: LotView): string {
  return [
    `一、项目基本情况：项目编号 ${project.code}；项目名称 ${project.name}；采购方式 公开招标；预算金额 480 万元；包编号 ${lot.code}（${lot.name}）。`,
    '二、申请人的资格要求：满足《中华人民共和国政府采购法》第二十二条规定；本项目不接受联合体投标。',
    '三、获取招标文件：已在平台登记的供应商于获取时间内登录平台下载招标文件。',
    '四、提交投标文件截止时间、开标时间和地点：见本公告时间安排；开标地点为内蒙古自治区公共资源交易中心开标室。',
    '五、说明：本公告为 ggzy 演示数据。',
  ].join('\n');
}
