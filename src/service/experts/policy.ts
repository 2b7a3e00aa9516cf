import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import type { Actor, Role } from '../../platform/identity/index.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

/** §40: the industry regulator admits, trains, evaluates and suspends its experts — not the platform. */
export function assertSupervisor(actor: Actor | null): Actor {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('supervisor')) {
    throw new Forbidden('EXPERT_REGULATOR_ONLY', {
      title: '无权执行此操作',
      detail: '专家的入库、培训考核、信用记录和状态变更由行政监督部门决定，交易平台只记录。',
      citation: '《内蒙古自治区公共资源交易管理办法》第四十条',
    });
  }
  return signedIn;
}

const POOL_READERS: readonly Role[] = ['operator', 'supervisor'];

/** 交易中心 staff and supervisors see the pool (ID numbers masked). */
export function assertPoolReader(actor: Actor | null): Actor {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.some((r) => POOL_READERS.includes(r))) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权查看专家库',
      detail: '专家库仅供交易中心工作人员和行政监督部门查看。',
    });
  }
  return signedIn;
}
