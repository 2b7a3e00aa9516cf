import { randomUUID } from 'node:crypto';
import type { Tx } from './context.ts';
import { NOTICE_NAMES_ZH } from './rules.ts';
import * as store from './store.ts';
import type { NoticeKind, Party } from './tables.ts';

export type Recipient = 'complainant' | 'respondents' | 'related';

/**
 * Delivers a written document (文书) of the handling to the parties — the complainant, the respondents,
 * the related parties — inside the state change's transaction. Each party's screen lists what it received.
 */
export async function deliver(
  tx: Tx,
  complaint: store.ComplaintRow,
  notice: { kind: NoticeKind; to: readonly Recipient[]; body: string; at: Date; by: string | null },
): Promise<void> {
  const rows: { organizationId: string; role: 'complainant' | 'respondent' | 'related' }[] = [];
  if (notice.to.includes('complainant')) {
    rows.push({ organizationId: complaint.complainant_organization_id, role: 'complainant' });
  }
  if (notice.to.includes('respondents')) {
    for (const p of complaint.respondents)
      rows.push({ organizationId: p.organizationId, role: 'respondent' });
  }
  if (notice.to.includes('related')) {
    for (const p of complaint.related as Party[])
      rows.push({ organizationId: p.organizationId, role: 'related' });
  }
  const unique = rows.filter((r, i) => rows.findIndex((x) => x.organizationId === r.organizationId) === i);
  const title = `${NOTICE_NAMES_ZH[notice.kind]}（${complaint.code}）`;
  await store.insertNotices(
    tx,
    unique.map((r) => ({
      id: randomUUID(),
      complaint_id: complaint.id,
      kind: notice.kind,
      recipient_organization_id: r.organizationId,
      recipient_role: r.role,
      title,
      body: notice.body,
      issued_at: notice.at,
      issued_by: notice.by,
    })),
  );
}
