import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { makeExpert } from '../../service/experts/test-factory.ts';
import { registerReceivedLot } from '../projects/test-factory.ts';

/** A real SMS gateway stand-in on 127.0.0.1: fails the first request, then accepts. */
let server: Server;
const received: { to: string; message: string; notificationId: string }[] = [];
let failuresLeft = 1;
let p: TestPlatform;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503).end('busy');
        return;
      }
      received.push(JSON.parse(body) as (typeof received)[0]);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  p = await makeTestPlatform({ GGZY_SMS_GATEWAY_URL: `http://127.0.0.1:${port}/sms` });
});
afterAll(async () => {
  await p?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('each drawn expert gets an SMS through the gateway, retried after a failure; it names no bidder', async () => {
  const region = '150122';
  const specialty = 'A020116';
  const { lot, initiatorClient } = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
  const experts = [];
  for (let i = 0; i < 3; i++)
    experts.push(await makeExpert(p, { regionCode: region, specialtyCodes: [specialty] }));
  const startsAt = new Date(p.clock.now().getTime() + 2 * 86_400_000);
  const created = await initiatorClient.post(`/api/lots/${lot.id}/expert-draws`, {
    evaluationStartsAt: startsAt.toISOString(),
    durationMinutes: 180,
    confirmWindowMinutes: 60,
    venues: [{ role: 'host', regionCode: region, name: '评标室1', seats: 5 }],
    groups: [{ specialtyCode: specialty, count: 2, venueIndex: 0 }],
    exclusions: [],
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as { id: string }).id;
  expect((await initiatorClient.post(`/api/expert-draws/${id}/run`)).statusCode).toBe(200);

  await p.jobs.runDueJobs(); // the first POST fails (503): retried with backoff
  for (let i = 0; i < 5 && received.length < 2; i++) {
    p.clock.advance(60_000);
    await p.jobs.runDueJobs();
  }
  expect(received).toHaveLength(2);
  const phones = new Set(experts.map((e) => e.phone));
  for (const sms of received) {
    expect(phones.has(sms.to)).toBe(true);
    expect(sms.message).toContain(lot.projectName);
    expect(sms.message).toContain('评标室1');
    expect(sms.message).not.toContain('投标人');
  }
  const jiandu = await p.as(await p.makeAccount(['supervisor']));
  const view = (await jiandu.get(`/api/supervision/expert-draws/${id}`)).json() as {
    notifications: { channel: string; status: string; attempts: number }[];
  };
  const sms = view.notifications.filter((n) => n.channel === 'sms');
  expect(sms.map((n) => n.status)).toEqual(['sent', 'sent']);
  expect(sms.map((n) => n.attempts).sort()).toEqual([1, 2]);
}, 60_000);
