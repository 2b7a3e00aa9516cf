import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpServer, type HttpServer } from '../../platform/http/index.ts';
import {
  allRegions,
  childRegions,
  INNER_MONGOLIA,
  isKnownRegion,
  PROVINCES,
  regionByCode,
  regionPath,
  regionPathName,
  registerRegionRoutes,
} from './index.ts';

describe('GB/T 2260 region table', () => {
  test('all 34 province-level divisions, and Inner Mongolia’s 12 盟市 with their 103 旗县区', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(childRegions(null)).toHaveLength(34);
    expect(childRegions('150000').map((r) => r.name)).toEqual([
      '呼和浩特市',
      '包头市',
      '乌海市',
      '赤峰市',
      '通辽市',
      '鄂尔多斯市',
      '呼伦贝尔市',
      '巴彦淖尔市',
      '乌兰察布市',
      '兴安盟',
      '锡林郭勒盟',
      '阿拉善盟',
    ]);
    const counties = INNER_MONGOLIA.flatMap((p) => p.counties);
    expect(counties).toHaveLength(103);
    expect(allRegions()).toHaveLength(34 + 12 + 103);
  });

  test('every code is six digits and sits under its parent’s code', () => {
    for (const region of allRegions()) {
      expect(region.code).toMatch(/^\d{6}$/);
      if (region.level === 'province') expect(region.code.endsWith('0000')).toBe(true);
      if (region.level === 'prefecture') {
        expect(region.parentCode).toBe('150000');
        expect(region.code).toMatch(/^15\d{2}00$/);
      }
      if (region.level === 'county') expect(region.code.slice(0, 4)).toBe(region.parentCode!.slice(0, 4));
    }
  });

  test('lookup and path: 省 > 盟市 > 旗县区', () => {
    expect(regionByCode('152530')).toMatchObject({ name: '正蓝旗', level: 'county', parentCode: '152500' });
    expect(regionPath('152530').map((r) => r.name)).toEqual(['内蒙古自治区', '锡林郭勒盟', '正蓝旗']);
    expect(regionPathName('150603')).toBe('内蒙古自治区 鄂尔多斯市 康巴什区');
    expect(regionPath('440000').map((r) => r.code)).toEqual(['440000']);
    expect(isKnownRegion('150722')).toBe(true);
    expect(isKnownRegion('150101')).toBe(false); // 市辖区 is a placeholder, not a division
    expect(isKnownRegion('150199')).toBe(false);
    expect(isKnownRegion('15010')).toBe(false);
    expect(regionPath('999999')).toEqual([]);
  });
});

describe('GET /api/regions', () => {
  let app: HttpServer;
  beforeAll(async () => {
    app = await createHttpServer({
      version: 'test',
      logLevel: 'silent',
      logger: false,
      bodyLimit: 1024 * 1024,
      authenticate: async () => ({ ok: false, reason: 'unknown' }),
      ping: async () => {},
      serverTime: () => new Date(),
      timeScale: 1,
      webDir: null,
    });
    registerRegionRoutes(app);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  test('without parent: the provinces; with a parent: its children, for cascading selects', async () => {
    const top = await app.inject({ method: 'GET', url: '/api/regions' });
    expect(top.statusCode).toBe(200);
    expect(top.json().items).toHaveLength(34);
    expect(top.json().items[4]).toEqual({
      code: '150000',
      name: '内蒙古自治区',
      level: 'province',
      parentCode: null,
      hasChildren: true,
    });

    const xilingol = await app.inject({ method: 'GET', url: '/api/regions?parent=152500' });
    expect(xilingol.statusCode).toBe(200);
    const names = (xilingol.json().items as { name: string; hasChildren: boolean }[]).map((r) => r.name);
    expect(names).toContain('二连浩特市');
    expect(names).toHaveLength(12);

    const beijing = await app.inject({ method: 'GET', url: '/api/regions?parent=110000' });
    expect(beijing.json().items).toEqual([]);
  });

  test('an unknown parent or code answers 404 in Chinese; the detail route gives the path', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/regions?parent=159900' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'REGION_NOT_FOUND', title: '行政区划代码不存在' });

    const detail = await app.inject({ method: 'GET', url: '/api/regions/150722' });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      name: '莫力达瓦达斡尔族自治旗',
      pathName: '内蒙古自治区 呼伦贝尔市 莫力达瓦达斡尔族自治旗',
    });

    const extra = await app.inject({ method: 'GET', url: '/api/regions?parent=150000&x=1' });
    expect(extra.statusCode).toBe(400);
  });
});
