import { describe, expect, test } from 'vitest';
import { sampleSnapshot } from '../test-factory.ts';
import type { ProcessSnapshot, ReleaseTrigger, ReleaseTriggerKind, SnapshotAnnouncement } from '../types.ts';
import {
  buildRelease,
  compileReleases,
  mainProcurementCategoryOf,
  type OcdsRelease,
  procurementMethodOf,
  recordOf,
  recordPackage,
  releasePackage,
  validateOcds,
} from './index.ts';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const day = (n: number) => new Date(T0 + n * 86_400_000);
const PUBLIC_URL = 'https://ggzy.example.cn';
const publisher = { name: '内蒙古自治区公共资源交易中心', scheme: 'CN-USCC', uid: '12150000MB0000000X' };

const full = sampleSnapshot();
const [tenderNotice, candidatesNotice, resultNotice] = full.announcements as [
  SnapshotAnnouncement,
  SnapshotAnnouncement,
  SnapshotAnnouncement,
];
const changeNotice: SnapshotAnnouncement = {
  ...tenderNotice,
  id: 'a-change-1',
  kind: 'change',
  kindNameZh: '变更公告',
  title: '呼和浩特市示例道路改造工程1变更公告',
  publishedAt: day(10),
  documentsFrom: null,
  documentsUntil: null,
  bidDeadline: day(25),
  openingAt: day(25),
  depositYuan: null,
  url: '/announcements/a-change-1',
};
const terminationNotice: SnapshotAnnouncement = {
  ...changeNotice,
  id: 'a-termination-1',
  kind: 'termination',
  kindNameZh: '终止公告',
  title: '呼和浩特市示例道路改造工程1终止公告',
  publishedAt: day(12),
  bidDeadline: null,
  openingAt: null,
  url: '/announcements/a-termination-1',
};
const openingDay = 25;
const opened = { ...full.opening!, publishedAt: day(openingDay) };

/** What is public at each trigger of one works tender (the lead's snapshot gives exactly this). */
function snapshotFor(kind: ReleaseTriggerKind): ProcessSnapshot {
  const before = {
    opening: null,
    award: null,
    contract: null,
    expertDraw: null,
  } satisfies Partial<ProcessSnapshot>;
  const candidatesAward = { ...full.award!, status: 'publicity', winner: null, noticeIssuedAt: null };
  switch (kind) {
    case 'tender':
      return sampleSnapshot({ ...before, announcements: [tenderNotice] });
    case 'amendment':
      return sampleSnapshot({ ...before, announcements: [tenderNotice, changeNotice] });
    case 'cancellation':
      return sampleSnapshot({ ...before, announcements: [tenderNotice, changeNotice, terminationNotice] });
    case 'opening':
      return sampleSnapshot({ ...before, announcements: [tenderNotice, changeNotice], opening: opened });
    case 'opening-failed':
      return sampleSnapshot({
        ...before,
        announcements: [tenderNotice, changeNotice],
        opening: { ...opened, failed: true, bids: opened.bids.slice(0, 2) },
      });
    case 'candidates':
      return sampleSnapshot({
        ...before,
        announcements: [tenderNotice, changeNotice, candidatesNotice],
        opening: opened,
        award: candidatesAward,
      });
    case 'award':
      return sampleSnapshot({
        announcements: [tenderNotice, changeNotice, candidatesNotice, resultNotice],
        opening: opened,
        contract: null,
        award: { ...full.award!, status: 'notified' },
      });
    case 'contract':
      return sampleSnapshot({
        announcements: [tenderNotice, changeNotice, candidatesNotice, resultNotice],
        opening: opened,
      });
  }
}

const AT: Record<ReleaseTriggerKind, number> = {
  tender: 0,
  amendment: 10,
  cancellation: 12,
  opening: openingDay,
  'opening-failed': openingDay,
  candidates: 27,
  award: 30,
  contract: 35,
};
const EXPECTED_TAG: Record<ReleaseTriggerKind, string> = {
  tender: 'tender',
  amendment: 'tenderAmendment',
  cancellation: 'tenderCancellation',
  opening: 'tenderUpdate',
  'opening-failed': 'tenderUpdate',
  candidates: 'award',
  award: 'awardUpdate',
  contract: 'contract',
};
const KINDS = Object.keys(AT) as ReleaseTriggerKind[];

let eventId = 100;
function trigger(kind: ReleaseTriggerKind, at = day(AT[kind])): ReleaseTrigger {
  return { kind, at, eventId: ++eventId, announcementId: null };
}

function expectValid(kind: 'release' | 'release-package' | 'record-package', value: unknown) {
  const extended = validateOcds(kind, value);
  expect(extended.errors).toEqual([]);
  const core = validateOcds(kind, value, 'core');
  expect(core.errors).toEqual([]);
}

describe('releases', () => {
  test.each(KINDS)('a %s release validates against the release schema, with and without links', (kind) => {
    const s = snapshotFor(kind);
    for (const options of [{}, { publicUrl: PUBLIC_URL }]) {
      const release = buildRelease(s, trigger(kind), undefined, options);
      expectValid('release', release);
      expect(release.tag).toEqual([EXPECTED_TAG[kind]]);
      expect(release.ocid).toBe(s.ocid);
      expect(release.id).toBe(`${s.ocid}-${kind}-${eventId}`);
      expect(release.initiationType).toBe('tender');
      expect(release.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    }
  });

  test('the id is stable for the same trigger, and the prefix replaces the ocid prefix', () => {
    const t = trigger('tender');
    const s = snapshotFor('tender');
    expect(buildRelease(s, t)).toEqual(buildRelease(s, t));
    const prefixed = buildRelease(s, t, 'ocds-test99');
    expect(prefixed.ocid).toBe(`ocds-test99-${s.lot.code}`);
    expect(prefixed.id).toBe(`ocds-test99-${s.lot.code}-tender-${t.eventId}`);
  });

  test('before the opening record is public a release names no bidder and nothing of later stages', () => {
    const s = sampleSnapshot({ opening: null });
    const release = buildRelease(s, trigger('tender'), undefined, { publicUrl: PUBLIC_URL });
    expectValid('release', release);
    expect(release.bids).toBeUndefined();
    expect(release.tender.tenderers).toBeUndefined();
    expect(release.tender.numberOfTenderers).toBeUndefined();
    expect(release.awards).toBeUndefined();
    expect(release.contracts).toBeUndefined();
    expect(release.ggzy.opening).toBeUndefined();
    expect(release.ggzy.candidates).toBeUndefined();
    expect(release.ggzy.expertDraw).toBeUndefined();
    expect(release.parties.flatMap((p) => p.roles).sort()).toEqual(['buyer', 'procuringEntity']);
    const text = JSON.stringify(release);
    for (const b of full.opening!.bids) {
      expect(text).not.toContain(b.bidderName);
      expect(text).not.toContain(b.creditCode);
    }
    expect(text).not.toContain(full.expertDraw!.drawId);
  });

  test('an opening-stage release carries the bids but no candidate, award, contract or expert', () => {
    const release = buildRelease(sampleSnapshot(), trigger('opening'));
    expect(release.bids?.details).toHaveLength(3);
    expect(release.bids?.details.every((b) => b.status === 'pending')).toBe(true);
    expect(release.tender.numberOfTenderers).toBe(3);
    expect(release.awards).toBeUndefined();
    expect(release.contracts).toBeUndefined();
    expect(release.ggzy.candidates).toBeUndefined();
    expect(release.ggzy.expertDraw).toBeUndefined();
    expect(release.ggzy.opening?.recordSm3).toBe('a'.repeat(64));
  });

  test('a candidates release has pending awards and still no expert reference', () => {
    const release = buildRelease(snapshotFor('candidates'), trigger('candidates'));
    expect(release.awards?.map((a) => [a.title, a.status])).toEqual([
      ['第1中标候选人', 'pending'],
      ['第2中标候选人', 'pending'],
      ['第3中标候选人', 'pending'],
    ]);
    expect(release.ggzy.candidates?.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect(release.ggzy.expertDraw).toBeUndefined();
    expect(release.tender.status).toBe('active');
  });

  test('the award release makes the winner active; the contract release adds the signed contract', () => {
    const award = buildRelease(snapshotFor('award'), trigger('award'));
    const winner = award.awards?.find((a) => a.status === 'active');
    expect(winner?.suppliers?.[0]?.name).toBe('内蒙古乙建设有限公司');
    expect(award.awards?.filter((a) => a.status === 'unsuccessful')).toHaveLength(2);
    expect(award.tender.status).toBe('complete');
    expect(award.ggzy.expertDraw?.drawId).toBe(full.expertDraw!.drawId);
    expect(award.contracts).toBeUndefined();
    const supplier = award.parties.find((p) => p.id === winner?.suppliers?.[0]?.id);
    expect(supplier?.roles).toEqual(['tenderer', 'supplier']);
    expect(supplier?.identifier).toEqual({
      scheme: 'CN-USCC',
      id: '91150100MA0A00002C',
      legalName: '内蒙古乙建设有限公司',
    });

    const contract = buildRelease(snapshotFor('contract'), trigger('contract'));
    expect(contract.contracts).toEqual([
      expect.objectContaining({
        awardID: winner?.id,
        status: 'active',
        value: { amount: 11_200_000, currency: 'CNY' },
        dateSigned: '2026-04-06T09:00:00+08:00',
      }),
    ]);
  });

  test('a failed opening makes the tender unsuccessful; a termination cancels it', () => {
    const failed = buildRelease(snapshotFor('opening-failed'), trigger('opening-failed'));
    expect(failed.tender.status).toBe('unsuccessful');
    expect(failed.ggzy.failure?.reason).toBe('opening-failed');
    expect(failed.bids?.details).toHaveLength(2);
    const cancelled = buildRelease(snapshotFor('cancellation'), trigger('cancellation'));
    expect(cancelled.tender.status).toBe('cancelled');
    expect(cancelled.tender.documents?.map((d) => d.documentType)).toEqual([
      'tenderNotice',
      'clarifications',
      'cancellationDetails',
    ]);
  });

  test('procedure types map to the OCDS method codelist with the Chinese name beside', () => {
    expect(procurementMethodOf('open-tender.works')).toEqual({ method: 'open', detailsZh: '公开招标' });
    expect(procurementMethodOf('invited-tender.gp')).toEqual({ method: 'selective', detailsZh: '邀请招标' });
    expect(procurementMethodOf('competitive-negotiation').method).toBe('limited');
    expect(procurementMethodOf('competitive-consultation').method).toBe('limited');
    expect(procurementMethodOf('inquiry').method).toBe('limited');
    expect(procurementMethodOf('single-source')).toEqual({ method: 'direct', detailsZh: '单一来源采购' });
    const gp = (catalogItemCode: string) =>
      mainProcurementCategoryOf({ law: 'gp', categoryCode: '02', catalogItemCode });
    expect(gp('0201')).toBe('goods');
    expect(gp('0202')).toBe('works');
    expect(gp('0203')).toBe('services');
    expect(mainProcurementCategoryOf({ law: 'works', categoryCode: '01', catalogItemCode: '01-01' })).toBe(
      'works',
    );
    expect(
      mainProcurementCategoryOf({ law: 'other', categoryCode: '03', catalogItemCode: '0301' }),
    ).toBeUndefined();

    const services = sampleSnapshot({
      lot: { ...full.lot, law: 'gp', categoryCode: '02', catalogItemCode: '0203', procedureType: 'inquiry' },
    });
    const release = buildRelease(services, trigger('contract'));
    expectValid('release', release);
    expect(release.tender.mainProcurementCategory).toBe('services');
    expect(release.tender.procurementMethodDetails).toBe('询价');
    expect(release.awards?.find((a) => a.status === 'active')?.title).toBe('成交供应商');
  });
});

describe('compiled releases', () => {
  function history(): OcdsRelease[] {
    const kinds: ReleaseTriggerKind[] = ['tender', 'amendment', 'opening', 'candidates', 'award', 'contract'];
    return kinds.map((k) => buildRelease(snapshotFor(k), trigger(k), undefined, { publicUrl: PUBLIC_URL }));
  }

  test('later releases win field by field and arrays with ids merge item by item', () => {
    const releases = history();
    // Out of order on purpose: the compiled release follows the release dates.
    const compiled = compileReleases([...releases].reverse());
    expectValid('release', compiled);
    const last = releases[releases.length - 1]!;
    expect(compiled.tag).toEqual(['compiled']);
    expect(compiled.id).toBe(`${last.ocid}-${last.date}`);
    expect(compiled.date).toBe(last.date);
    // The tender release said day 21; the change announcement moved the deadline to day 25.
    expect(releases[0]!.tender.tenderPeriod?.endDate).toBe('2026-03-23T09:00:00+08:00');
    expect(compiled.tender.tenderPeriod?.endDate).toBe('2026-03-27T09:00:00+08:00');
    expect(compiled.tender.amendments?.map((a) => a.id)).toEqual(['a-change-1']);
    expect(compiled.tender.documents?.map((d) => d.id)).toEqual(['a1-1', 'a-change-1']);
    expect(compiled.tender.status).toBe('complete');
    // The award arrived: pending candidates became one active award and two unsuccessful ones.
    expect(compiled.awards?.map((a) => [a.title, a.status])).toEqual([
      ['中标人', 'active'],
      ['第2中标候选人', 'unsuccessful'],
      ['第3中标候选人', 'unsuccessful'],
    ]);
    // The contract arrived.
    expect(compiled.contracts).toHaveLength(1);
    expect(compiled.bids?.details.map((b) => b.status)).toEqual(['valid', 'valid', 'valid']);
    expect(compiled.ggzy.trigger.kind).toBe('contract');
  });

  test('a compiled release keeps a field a later release does not mention, and drops one set to null', () => {
    const [tender, amendment] = history() as [OcdsRelease, OcdsRelease];
    const withoutDocuments = { ...amendment, tender: { ...amendment.tender, documents: undefined } };
    const cleared = JSON.parse(JSON.stringify(withoutDocuments)) as OcdsRelease;
    (cleared.tender as unknown as Record<string, unknown>).procurementMethodDetails = null;
    const compiled = compileReleases([tender, cleared]);
    expect(compiled.tender.documents?.map((d) => d.id)).toEqual(['a1-1']);
    expect(compiled.tender.procurementMethodDetails).toBeUndefined();
  });

  test('releases of different processes are not compiled together', () => {
    const a = buildRelease(sampleSnapshot({}, 1), trigger('tender'));
    const b = buildRelease(sampleSnapshot({}, 2), trigger('tender'));
    expect(() => compileReleases([a, b])).toThrow(/different processes/);
    expect(() => compileReleases([])).toThrow();
  });
});

describe('packages', () => {
  test('release and record packages validate, with embedded and with linked releases', () => {
    const releases = KINDS.filter((k) => k !== 'cancellation' && k !== 'opening-failed').map((k) =>
      buildRelease(snapshotFor(k), trigger(k), undefined, { publicUrl: PUBLIC_URL }),
    );
    const packageUri = `${PUBLIC_URL}/api/open/ocds/releases?cursor=abc`;
    const rp = releasePackage(releases, { uri: packageUri, publishedDate: day(40), publisher });
    expectValid('release-package', rp);
    expect(rp.version).toBe('1.1');
    expect(rp.extensions).toEqual([
      'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json',
      `${PUBLIC_URL}/api/open/ocds/extensions/ggzy/extension.json`,
    ]);
    expect(rp.publishedDate).toBe('2026-04-11T09:00:00+08:00');

    const embedded = recordOf(releases);
    const linked = recordOf(releases, { packageUrl: packageUri });
    const uri = `${PUBLIC_URL}/api/open/ocds/records/${releases[0]!.ocid}`;
    for (const record of [embedded, linked]) {
      const pkg = recordPackage([record], { uri, publishedDate: day(40), publisher, packages: [packageUri] });
      expectValid('record-package', pkg);
      expect(record.compiledRelease.tag).toEqual(['compiled']);
    }
    expect(linked.releases[0]).toEqual({
      url: `${packageUri}#${releases[0]!.id}`,
      date: releases[0]!.date,
      tag: ['tender'],
    });
  });
});

describe('validation cannot silently pass', () => {
  const good = buildRelease(sampleSnapshot(), trigger('contract'));

  test('a release without ocid or with an unknown tag is refused, and says where', () => {
    const { ocid: _ocid, ...noOcid } = good;
    const missing = validateOcds('release', noOcid);
    expect(missing.valid).toBe(false);
    expect(missing.errors.join('\n')).toContain("required property 'ocid'");
    const badTag = validateOcds('release', { ...good, tag: ['signed'] });
    expect(badTag.valid).toBe(false);
    expect(badTag.errors[0]).toMatch(/^\/tag\/0 /);
    for (const set of ['extended', 'core'] as const) {
      expect(validateOcds('release', noOcid, set).valid).toBe(false);
      expect(validateOcds('release', { ...good, tag: ['signed'] }, set).valid).toBe(false);
    }
  });

  test('codelists, formats and the extensions are enforced', () => {
    const wrongMethod = { ...good, tender: { ...good.tender, procurementMethod: 'public' } };
    expect(validateOcds('release', wrongMethod).errors[0]).toMatch(/^\/tender\/procurementMethod /);
    expect(validateOcds('release', { ...good, date: '2026-03-02 09:00' }).valid).toBe(false);
    const badBid = { ...good, bids: { details: [{ id: 'x', status: 'opened' }] } };
    expect(validateOcds('release', badBid).valid).toBe(false);
    // The core schema allows any extra field; the extended one checks the bids and ggzy extensions.
    expect(validateOcds('release', badBid, 'core').valid).toBe(true);
    const strayGgzy = { ...good, ggzy: { ...good.ggzy, bidderNames: ['内蒙古甲建设有限公司'] } };
    expect(validateOcds('release', strayGgzy).errors.join('\n')).toContain('bidderNames');
    expect(() => releasePackage([good], { uri: '/relative', publishedDate: day(1), publisher })).toThrow();
    const pkg = releasePackage([good], {
      uri: 'not a uri',
      publishedDate: day(1),
      publisher,
      extensions: [],
    });
    expect(validateOcds('release-package', pkg).valid).toBe(false);
    expect(validateOcds('record-package', { uri: PUBLIC_URL }).valid).toBe(false);
  });
});
