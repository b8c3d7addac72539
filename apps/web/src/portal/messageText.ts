/** A piece of a notice's text: words, a web address, or a code such as an application number. */
export type MessagePart = { kind: 'text'; text: string } | { kind: 'link'; url: string } | { kind: 'code'; text: string };

/** http(s) addresses, up to the first space; a full stop or bracket that ends a sentence is not part of them. */
const ADDRESS = /https?:\/\/[^\s<>"]+?(?=[.,;:!?؛،)\]]*(?:\s|$))/g;
/** Latin letters and digits joined by hyphens or slashes: REQ-2026-000123, BEN-0000001, Q-2012-77. */
const CODE = /[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)+/g;

function withCodes(text: string, parts: MessagePart[]): void {
  let last = 0;
  for (const match of text.matchAll(CODE)) {
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    parts.push({ kind: 'code', text: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
}

/**
 * A notice's text with its web addresses and codes set apart. The page shows an address as a
 * button instead of a run of characters that does not wrap (the survey link's token widened the
 * page past a phone's width), and a code isolated left to right and kept on one line: broken at a
 * hyphen inside Arabic text, "REQ-2026-000123" came out as "-REQ" on one line and the digits on the next.
 */
export function messageParts(text: string): MessagePart[] {
  const parts: MessagePart[] = [];
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    if (match.index > last) withCodes(text.slice(last, match.index), parts);
    parts.push({ kind: 'link', url: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) withCodes(text.slice(last), parts);
  return parts;
}

/** Whether an address is a survey notice's one-time link (/survey/…). */
export function isSurveyLink(url: string): boolean {
  try {
    return new URL(url).pathname.startsWith('/survey/');
  } catch {
    return false;
  }
}
