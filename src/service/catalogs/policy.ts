import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';

/** 交易中心工作人员: the only ones who maintain the catalogs (§9, §12, §13). */
export function assertOperator(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有交易中心工作人员可以维护交易目录、平台目录和信息公开目录。',
    });
  }
  return actor;
}

/** 动态管理 (§9) with four eyes: whoever drafted a catalog change may not be the one who decides it. */
export function assertNotAuthor(actor: Actor, draftedBy: string): void {
  if (actor.accountId === draftedBy) {
    throw new Forbidden('CATALOG_CHANGE_SELF_REVIEW', {
      title: '不能审核自己起草的目录变更',
      detail: '交易目录变更须由起草人以外的另一名交易中心工作人员审核。',
      citation: '《内蒙古自治区公共资源交易管理办法》第九条',
    });
  }
}
