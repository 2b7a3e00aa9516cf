import { isAscii, isUtf8 } from 'node:buffer';
import { type CardinalResult, CardinalScan } from './scan.ts';
import type { CardinalSettings } from './settings.ts';

export type LineWarning = (lineNo: number, message: string) => void;

/** Why a line was skipped: not JSON (with the parser's message), or not UTF-8. */
export type SkippedLine = { lineNo: number; kind: 'json'; detail: string } | { lineNo: number; kind: 'utf8' };

/** The warning printed for a skipped line (to standard error by `ggzy risk scan`). */
export function skippedLineMessage(skipped: SkippedLine): string {
  return skipped.kind === 'json'
    ? `第 ${skipped.lineNo} 行不是有效的 JSON，已跳过：${skipped.detail}`
    : `第 ${skipped.lineNo} 行不是有效的 UTF-8 文本，已跳过。`;
}

const NEWLINE = 0x0a;

function isReadableStream(input: unknown): input is NodeJS.ReadableStream {
  return (
    input !== null &&
    typeof input === 'object' &&
    typeof (input as { pipe?: unknown }).pipe === 'function' &&
    typeof (input as { on?: unknown }).on === 'function'
  );
}

/**
 * Folds lines of JSON Lines into a scan; a line that is not JSON (or not UTF-8) is reported and skipped,
 * as Cardinal's `fold_reduce` does. Only blank lines are skipped silently.
 */
export class LineFolder {
  readonly scan: CardinalScan;
  readonly #onSkipped: (skipped: SkippedLine) => void;
  /** The number of the last line read (counting from 1). */
  lineNo = 0;

  constructor(scan: CardinalScan, onSkipped: (skipped: SkippedLine) => void) {
    this.scan = scan;
    this.#onSkipped = onSkipped;
  }

  text(text: string): void {
    this.lineNo++;
    if (text.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (text.trim() !== '') {
        this.#onSkipped({ lineNo: this.lineNo, kind: 'json', detail: (error as Error).message });
      }
      return;
    }
    this.scan.add(value);
  }

  bytes(buffer: Buffer, start: number, end: number): void {
    if (start === end) {
      this.lineNo++;
      return;
    }
    const line = buffer.subarray(start, end);
    // ASCII (JSON with \u escapes, often) decodes byte for byte, faster than UTF-8.
    if (isAscii(line)) {
      this.text(buffer.toString('latin1', start, end));
      return;
    }
    if (!isUtf8(line)) {
      this.lineNo++;
      this.#onSkipped({ lineNo: this.lineNo, kind: 'utf8' });
      return;
    }
    this.text(buffer.toString('utf8', start, end));
  }
}

/**
 * Splits a byte stream into lines at LF (a CR before it is JSON whitespace) and folds each: one pass, no
 * line is held beyond its parse. A line split across chunks is joined once. With `until`, stops after the
 * first line for which it returns true; returns the bytes consumed (up to and including that line's LF).
 */
export async function foldStream(
  stream: NodeJS.ReadableStream,
  folder: LineFolder,
  until?: () => boolean,
): Promise<number> {
  let carry: Buffer | undefined;
  let consumed = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    let newline = buffer.indexOf(NEWLINE, 0);
    if (carry !== undefined) {
      if (newline === -1) {
        carry = Buffer.concat([carry, buffer]);
        continue;
      }
      const line = Buffer.concat([carry, buffer.subarray(0, newline)]);
      carry = undefined;
      folder.bytes(line, 0, line.length);
      consumed += line.length + 1;
      start = newline + 1;
      if (until?.()) return consumed;
      newline = buffer.indexOf(NEWLINE, start);
    }
    while (newline !== -1) {
      folder.bytes(buffer, start, newline);
      consumed += newline + 1 - start;
      start = newline + 1;
      if (until?.()) return consumed;
      newline = buffer.indexOf(NEWLINE, start);
    }
    // The stream may reuse its buffer: keep a copy of the unfinished line.
    if (start < buffer.length) carry = Buffer.from(buffer.subarray(start));
  }
  if (carry !== undefined) {
    folder.bytes(carry, 0, carry.length);
    consumed += carry.length;
  }
  return consumed;
}

/**
 * Runs Cardinal's indicators over JSON Lines of compiled releases, one contracting process per line, on
 * this thread (`scanFile` uses every core for a file).
 *
 * `input` is either a byte stream (a file or stdin: split at newlines here) or an iterable of lines (one
 * JSON text per item, as `readline` yields them). A line that is not valid JSON is skipped and reported to
 * `onWarning` with its line number (counting from 1) and a Chinese message; blank lines are skipped
 * silently.
 */
export async function scanJsonLines(
  input: AsyncIterable<string> | NodeJS.ReadableStream,
  settings: CardinalSettings,
  onWarning: LineWarning,
): Promise<CardinalResult> {
  const folder = new LineFolder(new CardinalScan(settings), (skipped) =>
    onWarning(skipped.lineNo, skippedLineMessage(skipped)),
  );
  if (isReadableStream(input)) {
    await foldStream(input, folder);
  } else {
    for await (const line of input) folder.text(line.endsWith('\n') ? line.slice(0, -1) : line);
  }
  return folder.scan.result();
}
