import { randomInt } from 'node:crypto';
import type { ProcessFacts } from './statistics.ts';

/** A fact with every field set; tests override what they check. */
export function sampleFact(overrides: Partial<ProcessFacts> & Pick<ProcessFacts, 'key'>): ProcessFacts {
  return {
    source: 'platform',
    categoryCode: '01',
    regionCode: '150102',
    method: 'open-tender.works',
    law: 'works',
    month: '2026-03',
    budgetYuan: null,
    awardYuan: null,
    bidders: null,
    status: 'active',
    announcedAt: null,
    openedAt: null,
    awardedAt: null,
    contractedAt: null,
    updatedAt: new Date('2026-03-01T00:00:00Z'),
    ...overrides,
  };
}

/**
 * A place and a time no other test uses: a three-digit region prefix outside the real codes (9xx) and a year
 * long past, so tests sharing one database (or a persistent PostgreSQL) never see each other's facts.
 */
export function uniqueScope(): { prefix: string; year: number } {
  return { prefix: String(randomInt(900, 1000)), year: randomInt(1000, 2000) };
}

/**
 * Five processes with figures worked out by hand (docs/statistics.md, the worked example):
 *   lots 5 — complete 2 (A, B), unsuccessful 1 (C), cancelled 1 (D), active 1 (E);
 *   budget 1,700,100.50 (A+B+C+E) · award 1,300,000.25 (A+B);
 *   competition 10 bidders over 3 lots with bids → 3.33;
 *   savings over A, B: 1 − 1,300,000.25 ÷ 1,500,000.50 = 0.1333 (saved 200,000.25);
 *   failed 1 ÷ (2 + 1) = 0.3333;
 *   announcement→opening 20, 21, 20.5 → 20.5 days; opening→award 15, 10 → 12.5; award→contract 10.
 * Regions: `<prefix>101` and `<prefix>102` (prefecture `<prefix>100`), `<prefix>201` (prefecture `<prefix>200`).
 */
export function scenarioFacts(
  prefix: string,
  year: number,
  keyPrefix = `k${prefix}-${year}`,
): ProcessFacts[] {
  const y = String(year).padStart(4, '0');
  const at = (monthDay: string, time = '00:00:00') => new Date(`${y}-${monthDay}T${time}Z`);
  const updatedAt = at('12-31');
  return [
    sampleFact({
      key: `${keyPrefix}-A`,
      categoryCode: '01',
      regionCode: `${prefix}101`,
      method: 'open-tender.works',
      law: 'works',
      month: `${y}-03`,
      budgetYuan: '1000000.00',
      awardYuan: '900000.00',
      bidders: 5,
      status: 'complete',
      announcedAt: at('03-01'),
      openedAt: at('03-21'),
      awardedAt: at('04-05'),
      contractedAt: at('04-15'),
      updatedAt,
    }),
    sampleFact({
      source: 'push:P1500000001',
      key: `${keyPrefix}-B`,
      categoryCode: '02',
      regionCode: `${prefix}102`,
      method: 'open-tender.gp',
      law: 'gp',
      month: `${y}-03`,
      budgetYuan: '500000.50',
      awardYuan: '400000.25',
      bidders: 3,
      status: 'complete',
      announcedAt: at('03-10'),
      openedAt: at('03-31'),
      awardedAt: at('04-10'),
      updatedAt,
    }),
    sampleFact({
      key: `${keyPrefix}-C`,
      categoryCode: '01',
      regionCode: `${prefix}101`,
      method: 'invited-tender.works',
      law: 'works',
      month: `${y}-05`,
      budgetYuan: '200000',
      bidders: 2,
      status: 'unsuccessful',
      announcedAt: at('05-01'),
      openedAt: at('05-21', '12:00:00'),
      updatedAt,
    }),
    sampleFact({
      key: `${keyPrefix}-D`,
      categoryCode: '03',
      regionCode: `${prefix}201`,
      method: 'inquiry',
      law: 'other',
      month: `${y}-05`,
      status: 'cancelled',
      announcedAt: at('05-02'),
      updatedAt,
    }),
    sampleFact({
      key: `${keyPrefix}-E`,
      categoryCode: null,
      regionCode: `${prefix}201`,
      method: 'single-source',
      law: 'gp',
      month: `${y}-06`,
      budgetYuan: '100.00',
      bidders: 0,
      status: 'active',
      announcedAt: at('06-01'),
      updatedAt,
    }),
  ];
}
