import type { AuctionContext } from './context.ts';
import { auctionNotFound } from './policy.ts';
import * as store from './store.ts';

/**
 * GET /api/public/lots/:lotId/auction — which auction trades the lot: the portal's announcement page of a
 * 出让（转让）公告, 成交公示 … links to the auction's page with it. A draft is not public.
 */
export async function findPublicAuctionOfLot(ctx: AuctionContext, lotId: string) {
  const row = await store.findAuctionByLot(ctx.db, lotId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  return { id: row.id, title: row.title, status: row.status };
}
