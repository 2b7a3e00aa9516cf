/**
 * 多方互评与平台服务评价 — the shapes of the ratings API (src/supervision/ratings/).
 */
export interface Dimension {
  code: string;
  name: string;
}

export interface RatingView {
  id: string;
  lotId: string;
  relation: string;
  relationName: string;
  raterName: string;
  rateeName: string;
  scores: Record<string, number>;
  score: string;
  comment: string | null;
  createdAt: string;
}

export interface LotRatings {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  endKindName: string;
  endedAt: string;
  windowEndsAt: string;
  open: boolean;
  citation: string;
  options: {
    relation: string;
    relationName: string;
    rateeKind: string;
    rateeId: string;
    rateeName: string;
    dimensions: Dimension[];
    rating: RatingView | null;
  }[];
}

export interface PendingLot {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  endKindName: string;
  endedAt: string;
  windowEndsAt: string;
  total: number;
  pending: number;
}

export interface PerformanceRow {
  id: string;
  name: string;
  ratings: number;
  lots: number;
  average: string | null;
  lowest: string | null;
  lastRatedAt: string | null;
}

export interface PerformanceDetail {
  id: string;
  name: string | null;
  citation: string;
  ratings: number;
  average: string | null;
  byRelation: {
    relation: string;
    relationName: string;
    ratings: number;
    dimensions: (Dimension & { average: string })[];
  }[];
  items: (RatingView & { lotCode: string; lotName: string; projectName: string })[];
}

export interface Aggregate {
  count: number;
  average: string | null;
  dimensions: (Dimension & { average: string })[];
}

export interface ServicePeriod {
  period: string;
  self: { scores: Record<string, number>; score: string; summary: string; publishedAt: string } | null;
  external: Aggregate;
  projects: Aggregate;
}

export interface ServiceResults {
  citation: string;
  dimensions: Dimension[];
  periods: ServicePeriod[];
}

/** "2026-Q1" → "2026年第一季度". */
export function periodName(period: string): string {
  const [year, q] = period.split('-Q');
  return `${year}年第${['一', '二', '三', '四'][Number(q) - 1] ?? q}季度`;
}
