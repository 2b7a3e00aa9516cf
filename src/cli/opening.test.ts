import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../test/support/platform.ts';
import { type BidFactoryPlatform, openLotForBidding, submitBid } from '../trading/bids/test-factory.ts';
import { confirmRecordWithKey, decryptOwnBid, type OpeningApi, postCustodianShare } from './opening.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

/** The CLI's calls, made through the real API in-process. */
function apiOf(session: {
  get(url: string): Promise<{ statusCode: number; body: string }>;
  post(url: string, body?: unknown): Promise<{ statusCode: number; body: string }>;
}): OpeningApi {
  const wrap = async (res: Promise<{ statusCode: number; body: string }>) => {
    const r = await res;
    return { status: r.statusCode, body: r.body ? (JSON.parse(r.body) as unknown) : null };
  };
  return { get: (path) => wrap(session.get(path)), post: (path, body) => wrap(session.post(path, body)) };
}

test('ggzy opening decrypt / share / confirm: keys unwrapped locally, a share posted, the record signed', async () => {
  const platform = p as unknown as BidFactoryPlatform;
  const lot = await openLotForBidding(platform, { bidders: 3, allowFallback: true });
  p.clock.set(lot.lot.timeline.documentsFrom);
  for (const bidder of lot.bidders) await submitBid(platform, lot, bidder);
  p.clock.set(lot.lot.timeline.openingAt);
  await p.jobs.runDueJobs();
  const as = async (account: { username: string }) => p.login(account.username);
  const host = await as(lot.agency.account);
  const url = (rest: string) => `/api/lots/${lot.lot.id}/opening${rest}`;
  expect((await host.post(url('/steps/start-opening'), {})).statusCode).toBe(200);
  expect((await host.post(url('/steps/start-decryption'), {})).statusCode).toBe(200);

  const [a, b, c] = lot.bidders;
  const sessions = await Promise.all([a!, b!, c!].map((x) => as(x.account)));
  // Decrypt for a and b with the CLI's function; c's failure is not its fault → fallback.
  expect(await decryptOwnBid(apiOf(sessions[0]!), lot.lot.id, a!.keys.encKey)).toMatchObject({ parts: 2 });
  await decryptOwnBid(apiOf(sessions[1]!), lot.lot.id, b!.keys.encKey);
  await expect(decryptOwnBid(apiOf(sessions[2]!), lot.lot.id, a!.keys.encKey)).rejects.toThrow();
  const view = (await host.get(url(''))).json() as {
    revealed: { bidders: { bidId: string; bidderName: string }[] };
  };
  const bidOfC = view.revealed.bidders.find((x) => x.bidderName === c!.name)!.bidId;
  await host.post(url(`/bids/${bidOfC}/not-bidder-cause`), { reason: '证书服务中断' });
  p.clock.advance(31 * 60_000);
  await p.jobs.runDueJobs();

  const custodians = await Promise.all(lot.custodians.map((x) => as(x.account)));
  expect(
    await postCustodianShare(apiOf(custodians[1]!), lot.lot.id, lot.custodians[1]!.encKey),
  ).toMatchObject({ combined: false });
  expect(
    await postCustodianShare(apiOf(custodians[2]!), lot.lot.id, lot.custodians[2]!.encKey),
  ).toMatchObject({ combined: true });

  expect((await host.post(url('/steps/publish-record'), {})).statusCode).toBe(200);
  const { recordSm3 } = await confirmRecordWithKey(apiOf(sessions[0]!), lot.lot.id, a!.keys.signKey);
  const record = (await host.get(url('/record'))).json() as {
    record: { entries: { bidder: { name: string } }[] };
    confirmations: { method: string; recordSm3: string }[];
  };
  expect(record.record.entries.map((e) => e.bidder.name).sort()).toEqual([a!.name, b!.name, c!.name].sort());
  expect(record.confirmations).toContainEqual(
    expect.objectContaining({ method: 'sm2-signature', recordSm3 }),
  );
});
