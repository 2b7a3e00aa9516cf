/// <reference lib="dom" />
/**
 * 专家抽取 in the browser: the initiator (zhaobiao) opens 专家抽取 on the demo building lot, where a draw was
 * requested for a specialty and region the demo pool holds, runs it with the button and sees the status with
 * the names sealed; the supervisor (jiandu) opens the whole record with the names; the public record page
 * shows the commitments only; the expert (zhuanjia) has the 抽取通知 page. axe finds nothing on any of them.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  axeViolations,
  DEMO_PASSWORD,
  launchBrowser,
  loginThroughPage,
  newPage,
  pageErrors,
  screenshot,
} from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function session(username: string): Promise<(path: string, body?: unknown) => Promise<Response>> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`login failed for ${username}`);
  return (path, body) =>
    fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** A (main specialty, region) the demo pool holds at least `n` active experts for. */
async function poolGroup(n: number): Promise<{ specialtyCode: string; regionCode: string }> {
  const admin = await session('admin');
  const counts = new Map<string, number>();
  for (let page = 1; page <= 10; page++) {
    const body = (await (await admin(`/api/experts?status=active&pageSize=100&page=${page}`)).json()) as {
      items: { regionCode: string; specialties: { code: string }[] }[];
      total: number;
    };
    for (const e of body.items) {
      for (const s of e.specialties) {
        const key = `${s.code}|${e.regionCode}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    if (page * 100 >= body.total) break;
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best || best[1] < n) throw new Error('the demo expert pool is too small for a draw');
  const [specialtyCode, regionCode] = best[0].split('|') as [string, string];
  return { specialtyCode, regionCode };
}

async function buildingLot(): Promise<{ lotId: string; projectId: string }> {
  const list = (await (
    await fetch(`${baseUrl}/api/public/announcements?keyword=${encodeURIComponent('教学楼')}`)
  ).json()) as { items: { id: string }[] };
  const detail = (await (await fetch(`${baseUrl}/api/public/announcements/${list.items[0]!.id}`)).json()) as {
    lotId: string;
  };
  const zhaobiao = await session('zhaobiao');
  const projects = (await (await zhaobiao('/api/my/projects?limit=200')).json()) as {
    items: { id: string }[];
  };
  for (const p of projects.items) {
    const project = (await (await zhaobiao(`/api/projects/${p.id}`)).json()) as { lots: { id: string }[] };
    if (project.lots.some((l) => l.id === detail.lotId)) return { lotId: detail.lotId, projectId: p.id };
  }
  throw new Error('the demo building lot has no project of zhaobiao');
}

describe('专家抽取 (initiator, supervisor, expert, public)', () => {
  it('runs a draw from the page, keeps the names sealed, and shows the supervisor the whole record', async () => {
    const group = await poolGroup(3);
    const { lotId, projectId } = await buildingLot();
    const zhaobiao = await session('zhaobiao');
    const startsAt = new Date(Date.now() + 3 * 86_400_000);
    const requested = await zhaobiao(`/api/lots/${lotId}/expert-draws`, {
      evaluationStartsAt: startsAt.toISOString(),
      durationMinutes: 240,
      confirmWindowMinutes: 120,
      venues: [{ role: 'host', regionCode: group.regionCode, name: '评标室3', seats: 9 }],
      groups: [{ specialtyCode: group.specialtyCode, count: 3, venueIndex: 0 }],
      exclusions: [{ name: '某某咨询有限公司', reasonCode: '9', reasonText: '与招标人存在诉讼纠纷' }],
    });
    expect(requested.status, await requested.clone().text()).toBe(201);
    const drawId = ((await requested.json()) as { id: string }).id;

    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'zhaobiao');
      await page.getByTestId('menu-item').filter({ hasText: '专家抽取' }).waitFor();
      await page.goto(`/workspace/expert-draws?project=${projectId}&lot=${lotId}`);
      const status = page.getByTestId('draw-status-tag');
      await expect(status.textContent()).resolves.toContain('待抽取');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByTestId('run-draw').click();
      await page.getByTestId('draw-status-tag').filter({ hasText: '已抽取' }).waitFor();
      await page.getByTestId('names-sealed').waitFor();
      await screenshot(page, 'draws-requester');
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const sup = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(sup.page, 'jiandu');
      await sup.page.getByTestId('menu-item').filter({ hasText: '抽取监督' }).click();
      await sup.page.waitForURL((url) => url.pathname === '/workspace/draw-supervision');
      await sup.page.getByTestId(`open-${drawId}`).click();
      const rows = sup.page.getByTestId('supervised-assignments').locator('tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(3);
      await screenshot(sup.page, 'draws-supervisor');
      expect(await axeViolations(sup.page)).toEqual([]);
      expect(pageErrors(sup.page)).toEqual([]);
    } finally {
      await sup.context.close();
    }

    const pub = await newPage(browser, baseUrl);
    try {
      await pub.page.goto(`/expert-draws/${drawId}`);
      await pub.page.getByTestId('record-state').filter({ hasText: '评标开始前' }).waitFor();
      expect(await axeViolations(pub.page)).toEqual([]);
    } finally {
      await pub.context.close();
    }

    const exp = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(exp.page, 'zhuanjia');
      await exp.page.getByTestId('menu-item').filter({ hasText: '抽取通知' }).click();
      await exp.page.waitForURL((url) => url.pathname === '/workspace/expert-assignments');
      await exp.page.getByTestId('assignments').waitFor();
      expect(await axeViolations(exp.page)).toEqual([]);
      expect(pageErrors(exp.page)).toEqual([]);
    } finally {
      await exp.context.close();
    }
  }, 120_000);
});
