import type { TendersContext } from './context.ts';
import { requireSignedIn } from './policy.ts';
import * as store from './store.ts';

/** The notices addressed to the signed-in account's organisation (clarifications, answers, reminders). */
export async function listMyNotifications(ctx: TendersContext, limit: number) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  return store.listNotificationsOf(ctx.db, actor.organizationId, limit);
}
