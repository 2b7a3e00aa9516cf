import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { evaluatedLot } from '../../trading/evaluation/test-factory.ts';
import { relogin } from '../../trading/opening/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';

/**
 * 对评标结果投诉 (工程): the 异议 raised during the 中标候选人公示 is recorded by trading/awards and read here
 * through its port; a complaint on the result rests on it, and the department names the other bidders as
 * related parties, who receive the decision.
 */
let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '100000', GGZY_REGISTRATION_RATE_MAX: '100000' });
});
afterAll(async () => {
  await p?.close();
});

type Res = { statusCode: number; body: string; json(): unknown };
const json = <T = Record<string, unknown>>(res: Res) => res.json() as T;

describe('工程：对评标结果的投诉', () => {
  test('the publicity 异议 from trading/awards opens the complaint; related bidders receive the decision', {
    timeout: 300_000,
  }, async () => {
    const e = await evaluatedLot(p, {
      procedureType: 'open-tender.works',
      regionCode: '150826',
      specialtyCode: 'A020114',
    });
    await relogin(p, e.opened);
    const lotId = e.opened.lot.id;
    let res = await e.opened.agency.session.post(`/api/lots/${lotId}/award/publicity`, {
      objectionChannel: '招标人 张工 0471-6600000',
    });
    expect(res.statusCode, res.body).toBe(200);
    const award = json<{ candidates: { rank: number; organizationId: string }[] }>(res);
    const third = award.candidates.find((c) => c.rank === 3)!;
    const second = award.candidates.find((c) => c.rank === 2)!;
    const loser = e.opened.bidders.find((b) => b.organizationId === third.organizationId)!;

    // Without the 异议 first, a complaint on the result is refused (条例第六十条第二款).
    const body = (prior: { source: string; id: string } | null) => ({
      lotId,
      complainantKind: 'bidder',
      interest: null,
      address: '巴彦淖尔市临河区1号',
      contactName: '周强',
      contactPhone: '0478-1234567',
      signatory: { name: '周强', capacity: 'legal-representative' },
      respondents: ['initiator'],
      facts: '第一中标候选人的项目经理在其他在建项目任职。',
      requests: '取消第一中标候选人资格。',
      legalBasis: '《注册建造师管理规定》第二十一条',
      knownOn: new Date(p.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
      knownEvidence: '中标候选人公示',
      items: [{ stage: 'result', matter: 'result', text: '第一中标候选人项目经理有在建项目', prior }],
      materials: [],
    });
    res = await loser.session.post('/api/complaints', body(null));
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ code: 'COMPLAINT_OBJECTION_REQUIRED' });

    res = await loser.session.post(`/api/lots/${lotId}/award/objections`, {
      text: '第一中标候选人项目经理有在建项目',
    });
    expect(res.statusCode, res.body).toBe(201);
    const objectionId = json<{ id: string }>(res).id;
    res = await e.opened.initiator.session.post(`/api/award-objections/${objectionId}/answer`, {
      answer: '经核实，该项目经理已于公示前完成变更。',
    });
    expect(res.statusCode, res.body).toBe(200);

    const basis = json<{ priors: { source: string; id: string; stage: string; answer: string }[] }>(
      await loser.session.get(`/api/complaints/basis?lotId=${lotId}`),
    );
    expect(basis.priors).toEqual([
      expect.objectContaining({
        source: 'awards',
        id: objectionId,
        stage: 'result',
        answer: '经核实，该项目经理已于公示前完成变更。',
      }),
    ]);
    res = await loser.session.post('/api/complaints', body({ source: 'awards', id: objectionId }));
    expect(res.statusCode, res.body).toBe(201);
    const complaintId = json<{ id: string }>(res).id;

    const officerAccount = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, officerAccount.id, { regionPrefixes: ['15'], catalogPrefixes: ['0101'] });
    const officer = await p.as(officerAccount);
    expect((await officer.post(`/api/supervision/complaints/${complaintId}/accept`)).statusCode).toBe(200);
    const candidates = json<{ items: { organizationId: string }[] }>(
      await officer.get(`/api/supervision/complaints/${complaintId}/related-candidates`),
    );
    expect(candidates.items.map((c) => c.organizationId)).not.toContain(loser.organizationId);
    expect(candidates.items.map((c) => c.organizationId)).toContain(second.organizationId);
    res = await officer.post(`/api/supervision/complaints/${complaintId}/send-copies`, {
      relatedOrganizationIds: [award.candidates.find((c) => c.rank === 1)!.organizationId],
    });
    expect(res.statusCode, res.body).toBe(200);
    res = await officer.post(`/api/supervision/complaints/${complaintId}/decide`, {
      outcome: 'rejected',
      reasoning: '经查，该项目经理已于公示前依法变更，投诉事项缺乏事实依据。',
      handling: null,
      legalBasis: '《中华人民共和国招标投标法实施条例》第六十一条',
    });
    expect(res.statusCode, res.body).toBe(200);

    // The first candidate, a related party, sees the decision delivered to it.
    const first = e.opened.bidders.find(
      (b) => b.organizationId === award.candidates.find((c) => c.rank === 1)!.organizationId,
    )!;
    const seen = json<{ viewer: string; notices: { kind: string }[] }>(
      await first.session.get(`/api/complaints/${complaintId}`),
    );
    expect(seen.viewer).toBe('related');
    expect(seen.notices.map((n) => n.kind)).toEqual(['copy', 'decision']);
    const received = json<{ items: { id: string }[] }>(
      await first.session.get('/api/my/complaints-received'),
    );
    expect(received.items.map((i) => i.id)).toContain(complaintId);
  });
});
