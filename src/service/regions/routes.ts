import { z } from 'zod';
import { NotFound } from '../../platform/errors.ts';
import type { HttpServer } from '../../platform/http/index.ts';
import { childRegions, hasChildRegions, type Region, regionByCode, regionPath } from './regions.ts';
import { RegionCodeParams, RegionDetailView, RegionListQuery, RegionView } from './schemas.ts';

function toRegionView(region: Region) {
  return {
    code: region.code,
    name: region.name,
    level: region.level,
    parentCode: region.parentCode,
    hasChildren: hasChildRegions(region.code),
  };
}

/** GET /api/regions?parent= (cascading selects) and GET /api/regions/:code — public reference data. */
export function registerRegionRoutes(app: HttpServer): void {
  app.get(
    '/api/regions',
    {
      schema: {
        tags: ['行政区划'],
        summary: '行政区划列表（级联选择）：不带 parent 返回省级，带 parent 返回其下级',
        querystring: RegionListQuery,
        response: { 200: z.object({ items: z.array(RegionView) }) },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const parent = req.query.parent ?? null;
      if (parent !== null && !regionByCode(parent)) {
        throw new NotFound('REGION_NOT_FOUND', {
          title: '行政区划代码不存在',
          detail: `未找到行政区划代码“${parent}”（GB/T 2260 六位代码）。`,
        });
      }
      return { items: childRegions(parent).map(toRegionView) };
    },
  );

  app.get(
    '/api/regions/:code',
    {
      schema: {
        tags: ['行政区划'],
        summary: '按代码查询行政区划及其上级路径',
        params: RegionCodeParams,
        response: { 200: RegionDetailView },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const region = regionByCode(req.params.code);
      if (!region) {
        throw new NotFound('REGION_NOT_FOUND', {
          title: '行政区划代码不存在',
          detail: `未找到行政区划代码“${req.params.code}”（GB/T 2260 六位代码）。`,
        });
      }
      const path = regionPath(region.code);
      return {
        ...toRegionView(region),
        path: path.map((r) => ({ code: r.code, name: r.name })),
        pathName: path.map((r) => r.name).join(' '),
      };
    },
  );
}
