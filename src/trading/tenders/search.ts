import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese full-text search (DESIGN §3): jieba segments the text in app code, the words go into a
 * `tsvector('simple', …)` column with a GIN index, and a keyword is segmented the same way and its words
 * ANDed. PostgreSQL's own parser cannot split Chinese (it sees a run of Han characters as one word).
 */
let jieba: Jieba | null = null;

function segmenter(): Jieba {
  // Loading the dictionary takes ~100 ms: once per process, on first use.
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Characters the tsquery/tsvector parser treats as syntax or separators; words are cleaned of them. */
const NOT_A_WORD_CHAR = /[^\p{L}\p{N}]/gu;

function cleanWords(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const clean = word.replace(NOT_A_WORD_CHAR, '').toLowerCase();
    if (clean.length > 0) out.push(clean);
  }
  return out;
}

const HAN = /\p{Script=Han}/u;

/**
 * The words a document is found by: every dictionary word inside the text (full mode: 呼和浩特市 →
 * 呼和, 呼和浩特, 呼和浩特市, 浩特) plus the search-mode words, deduplicated, space separated — so any
 * word precise mode cuts out of a keyword is among them. The title also gives its single Han characters,
 * so a one-character keyword finds a title containing it.
 */
export function searchTermsOf(title: string, ...texts: string[]): string {
  const words = new Set<string>();
  const jieba = segmenter();
  for (const text of [title, ...texts]) {
    for (const word of cleanWords([...jieba.cutAll(text), ...jieba.cutForSearch(text, false)])) {
      // Single Han characters only from the title: a body's would bloat the index for little use.
      if (text === title || word.length > 1 || !HAN.test(word)) words.add(word);
    }
  }
  return [...words].join(' ');
}

/**
 * The words of a keyword, to be ANDed: precise-mode segmentation without HMM, the same dictionary as
 * the documents, so every word found here is one the document side produced for the same text.
 */
export function keywordTerms(keyword: string): string[] {
  return [...new Set(cleanWords(segmenter().cut(keyword, false)))].slice(0, 16);
}
