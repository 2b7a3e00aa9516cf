/** Server time is stored in UTC and shown in Asia/Shanghai (DESIGN §4 "Clock and calendar"). */
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2026-03-01 09:30:00` (or without seconds) in Beijing time, or '—' when there is no valid time. */
export function formatDateTime(iso: unknown, options: { seconds?: boolean } = {}): string {
  if (typeof iso !== 'string' && typeof iso !== 'number') return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const parts = Object.fromEntries(DATE_TIME.formatToParts(date).map((p) => [p.type, p.value]));
  const time = `${parts.hour}:${parts.minute}${options.seconds === false ? '' : `:${parts.second}`}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time}`;
}

/** Long hashes and signatures (hex or Base64): the start and the end; the page puts the whole in a title. */
export function abbreviate(value: unknown, keep = 12): string {
  if (typeof value !== 'string' || value.length === 0) return '—';
  return value.length <= keep * 2 + 1 ? value : `${value.slice(0, keep)}…${value.slice(-keep)}`;
}
