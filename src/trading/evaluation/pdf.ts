import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';

const require = createRequire(import.meta.url);
const FONT_PATH = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

let fontBytes: Promise<Uint8Array> | null = null;

/** The Chinese font (Noto Sans SC, SIL OFL), read once per process; subsets are embedded per document. */
export function reportFontBytes(): Promise<Uint8Array> {
  fontBytes ??= readFile(FONT_PATH).then(
    (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    (error: unknown) => {
      fontBytes = null;
      throw error;
    },
  );
  return fontBytes;
}

/** One block of the document: a heading, a paragraph, or a table (header + rows, column widths in points). */
export type PdfBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; size?: number }
  | { kind: 'table'; columns: { title: string; width: number }[]; rows: string[][] };

const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const INK = rgb(0.1, 0.1, 0.1);
const RULE = rgb(0.6, 0.6, 0.6);

/**
 * A small flowing layout over pdf-lib: wrapped lines, tables with wrapped cells, page breaks, and a
 * footer on every page (page n/N and the report's SM3, so a printed page names what it belongs to).
 */
export async function renderPdf(input: {
  title: string;
  footer: string;
  blocks: PdfBlock[];
}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(input.title);
  pdf.setProducer('ggzy 公共资源交易平台');
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const font = await pdf.embedFont(await reportFontBytes(), { subset: true });
  const widths = new Map<string, number>();
  const charWidth = (ch: string, size: number) => {
    let w = widths.get(ch);
    if (w === undefined) {
      w = font.widthOfTextAtSize(ch, 1000);
      widths.set(ch, w);
    }
    return (w * size) / 1000;
  };
  const wrap = (text: string, size: number, width: number): string[] => {
    const lines: string[] = [];
    for (const para of text.split('\n')) {
      let line = '';
      let w = 0;
      for (const ch of para) {
        const cw = charWidth(ch, size);
        if (w + cw > width && line) {
          lines.push(line);
          line = '';
          w = 0;
        }
        line += ch;
        w += cw;
      }
      lines.push(line);
    }
    return lines;
  };

  const usable = PAGE.width - PAGE.margin * 2;
  let page: PDFPage = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const ensure = (height: number) => {
    if (y - height < PAGE.margin + 20) {
      page = pdf.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - PAGE.margin;
      return true;
    }
    return false;
  };
  const draw = (text: string, x: number, size: number, f: PDFFont = font) => {
    page.drawText(text, { x, y: y - size, size, font: f, color: INK });
  };

  for (const block of input.blocks) {
    if (block.kind === 'title') {
      ensure(40);
      const size = 18;
      const w = [...block.text].reduce((s, ch) => s + charWidth(ch, size), 0);
      draw(block.text, PAGE.margin + (usable - w) / 2, size);
      y -= size + 18;
    } else if (block.kind === 'heading') {
      ensure(40);
      y -= 6;
      draw(block.text, PAGE.margin, 12);
      y -= 12 + 8;
    } else if (block.kind === 'paragraph') {
      const size = block.size ?? 10;
      for (const line of wrap(block.text, size, usable)) {
        ensure(size + 4);
        draw(line, PAGE.margin, size);
        y -= size + 4;
      }
      y -= 4;
    } else {
      const size = 8;
      const lineHeight = size + 3;
      const total = block.columns.reduce((s, c) => s + c.width, 0);
      const scale = total > usable ? usable / total : 1;
      const cols = block.columns.map((c) => c.width * scale);
      const drawRow = (cells: string[]) => {
        const wrapped = cells.map((cell, i) => wrap(cell, size, (cols[i] ?? 40) - 4));
        const height = Math.max(...wrapped.map((l) => l.length)) * lineHeight + 4;
        const broke = ensure(height);
        return { wrapped, height, broke };
      };
      const paint = (wrapped: string[][], height: number) => {
        let x = PAGE.margin;
        wrapped.forEach((lines, i) => {
          lines.forEach((line, j) => {
            page.drawText(line, { x: x + 2, y: y - 2 - size - j * lineHeight, size, font, color: INK });
          });
          x += cols[i] ?? 0;
        });
        y -= height;
        page.drawLine({
          start: { x: PAGE.margin, y },
          end: { x: PAGE.margin + usable, y },
          thickness: 0.3,
          color: RULE,
        });
      };
      const header = block.columns.map((c) => c.title);
      const h = drawRow(header);
      paint(h.wrapped, h.height);
      for (const row of block.rows) {
        const r = drawRow(row);
        if (r.broke) {
          const again = drawRow(header);
          paint(again.wrapped, again.height);
        }
        paint(r.wrapped, r.height);
      }
      y -= 8;
    }
  }

  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    const text = `${input.footer}    第 ${i + 1} 页 / 共 ${pages.length} 页`;
    p.drawText(text, { x: PAGE.margin, y: PAGE.margin / 2, size: 7, font, color: RULE });
  });
  return pdf.save({ useObjectStreams: true });
}
