import type { ColumnType } from 'kysely';

/** 监管权力和责任清单 (power) · 服务事项清单 (service), §37. */
export type DutyListKind = 'power' | 'service';

/** draft 草稿 (editable, one per list) → published 现行 → superseded 已被新版本替代 (kept for history). */
export type DutyVersionStatus = 'draft' | 'published' | 'superseded';

/** One item of a list (事项). §37 asks the power list for 监督事项、监督依据、衔接配合事项 and the service list
 *  for 服务事项、服务时限、服务对象和衔接配合事项. */
export interface DutyItem {
  /** 事项编码, unique within a version. */
  code: string;
  /** 监督事项 / 服务事项. */
  name: string;
  /** 事项类型 (行政监督、行政检查、公共服务 …). */
  type: string;
  /** 监督依据 / 设定依据: the article(s), quoted. */
  basis: string;
  /** 责任部门（实施主体）. */
  department: string;
  /** 办理流程 / 履职方式. */
  process: string | null;
  /** 服务时限 / 办理时限; null when the basis sets none. */
  timeLimit: string | null;
  /** 服务对象. */
  serviceTarget: string | null;
  /** 衔接配合事项. */
  coordination: string | null;
  /** 责任事项与追责情形. */
  accountability: string | null;
}

export interface DutyListVersionsTable {
  id: string;
  kind: DutyListKind;
  /** Assigned at publication (1, 2, …); null while a draft. */
  version: number | null;
  status: DutyVersionStatus;
  /** 修订说明. */
  note: string;
  items: ColumnType<DutyItem[], string, string>;
  /** SM3 of the items' canonical JSON: what the witness event and the portal show. */
  items_sm3: string;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  published_at: Date | null;
  published_by: string | null;
  superseded_at: Date | null;
}

export interface DutiesTables {
  duty_list_versions: DutyListVersionsTable;
}
