import type { ProcessSnapshot } from './types.ts';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const day = (n: number) => new Date(T0 + n * 86_400_000);

/**
 * A complete snapshot of a works tender from announcement to signed contract, in memory (unit tests and
 * benches). `n` varies the codes so that many processes differ; `overrides` replaces top-level parts.
 */
export function sampleSnapshot(overrides: Partial<ProcessSnapshot> = {}, n = 1): ProcessSnapshot {
  const seq = String(n).padStart(6, '0');
  const projectCode = `E150102${seq}0001`.slice(0, 17);
  const tenderProjectCode = `${projectCode}001`;
  const lotCode = `${tenderProjectCode}001`;
  const lotId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    ocid: `ocds-ggzy15-${lotCode}`,
    asOf: day(60),
    lot: {
      id: lotId,
      code: lotCode,
      name: `示例标段${n}`,
      projectId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      projectCode,
      tenderProjectCode,
      projectName: `呼和浩特市示例道路改造工程${n}`,
      catalogItemCode: '01-01',
      categoryCode: '01',
      procedureType: 'open-tender.works',
      law: 'works',
      estimateYuan: '12000000.00',
      regionCode: '150102',
      mandatoryTender: true,
      regulator: '呼和浩特市住房和城乡建设局',
      createdAt: day(-5),
    },
    initiator: {
      organizationId: 'org-initiator',
      name: '呼和浩特市示例建设管理中心',
      creditCode: '12150100MB1234567X',
      regionCode: '150102',
    },
    agency: {
      organizationId: 'org-agency',
      name: '内蒙古示例招标代理有限公司',
      creditCode: '91150100MA0N12345A',
      regionCode: '150102',
    },
    announcements: [
      {
        id: `a1-${n}`,
        kind: 'tender',
        kindNameZh: '招标公告',
        title: `呼和浩特市示例道路改造工程${n}招标公告`,
        body: '一、招标条件……',
        publishedAt: day(0),
        documentsFrom: day(1),
        documentsUntil: day(6),
        bidDeadline: day(21),
        openingAt: day(21),
        depositYuan: '200000.00',
        linkedTo: null,
        url: `/announcements/a1-${n}`,
      },
      {
        id: `a2-${n}`,
        kind: 'candidates',
        kindNameZh: '中标候选人公示',
        title: `呼和浩特市示例道路改造工程${n}中标候选人公示`,
        body: '第一中标候选人……',
        publishedAt: day(24),
        documentsFrom: null,
        documentsUntil: null,
        bidDeadline: null,
        openingAt: null,
        depositYuan: null,
        linkedTo: null,
        url: `/announcements/a2-${n}`,
      },
      {
        id: `a3-${n}`,
        kind: 'result',
        kindNameZh: '中标结果公告',
        title: `呼和浩特市示例道路改造工程${n}中标结果公告`,
        body: '中标人……',
        publishedAt: day(28),
        documentsFrom: null,
        documentsUntil: null,
        bidDeadline: null,
        openingAt: null,
        depositYuan: null,
        linkedTo: null,
        url: `/announcements/a3-${n}`,
      },
    ],
    opening: {
      publishedAt: day(21),
      recordSm3: 'a'.repeat(64),
      failed: false,
      bids: [
        {
          bidId: `b1-${n}`,
          seq: 1,
          bidderName: '内蒙古甲建设有限公司',
          creditCode: '91150100MA0A00001B',
          priceYuan: '11500000.00',
        },
        {
          bidId: `b2-${n}`,
          seq: 2,
          bidderName: '内蒙古乙建设有限公司',
          creditCode: '91150100MA0A00002C',
          priceYuan: '11200000.00',
        },
        {
          bidId: `b3-${n}`,
          seq: 3,
          bidderName: '内蒙古丙建设有限公司',
          creditCode: '91150100MA0A00003D',
          priceYuan: '11800000.00',
        },
      ],
    },
    award: {
      status: 'contracted',
      candidates: [
        {
          rank: 1,
          bidderName: '内蒙古乙建设有限公司',
          creditCode: '91150100MA0A00002C',
          priceYuan: '11200000.00',
          score: '92.50',
        },
        {
          rank: 2,
          bidderName: '内蒙古甲建设有限公司',
          creditCode: '91150100MA0A00001B',
          priceYuan: '11500000.00',
          score: '90.10',
        },
        {
          rank: 3,
          bidderName: '内蒙古丙建设有限公司',
          creditCode: '91150100MA0A00003D',
          priceYuan: '11800000.00',
          score: '88.00',
        },
      ],
      winner: {
        bidderName: '内蒙古乙建设有限公司',
        creditCode: '91150100MA0A00002C',
        priceYuan: '11200000.00',
      },
      noticeIssuedAt: day(28),
      failedAt: null,
      failureReason: null,
    },
    contract: {
      id: `c-${n}`,
      title: `呼和浩特市示例道路改造工程${n}施工合同`,
      priceYuan: '11200000.00',
      signedAt: day(35),
      supplierName: '内蒙古乙建设有限公司',
      supplierCreditCode: '91150100MA0A00002C',
    },
    deposit: { requiredYuan: '200000.00' },
    expertDraw: { drawId: `d-${n}` },
    ...overrides,
  };
}
