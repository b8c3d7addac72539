/**
 * Arabic-aware text for the library's full-text search (R1). PostgreSQL and PGlite both have the
 * 'simple' text-search configuration and neither has an Arabic one, so the words are made alike
 * here, the same way for what is indexed and for what is searched:
 * - Unicode NFKC (presentation forms become ordinary letters);
 * - diacritics (tashkeel: fatha … sukun, shadda, tanween, superscript alef, Quranic marks) and
 *   tatweel removed;
 * - alef with hamza above or below, madda and wasla → bare alef; hamza on waw → waw; hamza on
 *   yaa and alef maqsura → yaa; taa marbuta → haa;
 * - Arabic-Indic and Eastern Arabic-Indic digits → 0–9; Latin letters lower case;
 * - the definite article (ال، وال، بال، كال، فال، لل) taken off words long enough to keep a stem.
 */

const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;
const LETTERS: Array<[RegExp, string]> = [
  [/[\u0622\u0623\u0625\u0671\u0672\u0673]/g, '\u0627'],
  [/\u0624/g, '\u0648'],
  [/[\u0626\u0649\u06CC]/g, '\u064A'],
  [/\u0629/g, '\u0647'],
  [/\u06A9/g, '\u0643'],
];
const ARABIC_INDIC = /[\u0660-\u0669]/g;
const EASTERN_INDIC = /[\u06F0-\u06F9]/g;
const ARTICLE = /^(?:وال|بال|كال|فال|ال|لل)(?=[\u0621-\u064A]{2,})/;
const WORD = /[\p{L}\p{N}]+/gu;

/** The text with its letters made alike (no word splitting). */
export function normaliseArabic(text: string): string {
  let s = text.normalize('NFKC').replace(DIACRITICS, '');
  for (const [from, to] of LETTERS) s = s.replace(from, to);
  return s
    .replace(ARABIC_INDIC, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(EASTERN_INDIC, (d) => String(d.charCodeAt(0) - 0x06f0))
    .toLowerCase();
}

/** The words of a text as indexed and searched: normalised, the definite article off, letters and digits only. */
export function searchWords(text: string): string[] {
  const words = normaliseArabic(text).match(WORD) ?? [];
  return words.map((w) => w.replace(ARTICLE, ''));
}

/** The text as it is given to to_tsvector('simple', …). */
export function searchDocument(text: string): string {
  return searchWords(text).join(' ');
}

/**
 * A tsquery for to_tsquery('simple', …): each distinct word of the question as a prefix, any of
 * them matching (the ranking puts articles with more of them first). Words are only letters and
 * digits, so nothing in a question can be read as a tsquery operator. Null when the question has
 * no word.
 */
export function searchQuery(question: string, maxWords = 12): string | null {
  const words = [...new Set(searchWords(question))].filter((w) => w.length > 1 || /\d/.test(w)).slice(0, maxWords);
  return words.length ? words.map((w) => `${w}:*`).join(' | ') : null;
}
