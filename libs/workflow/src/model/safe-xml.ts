import { DomainError } from '@mustafid/platform';
import { Parser } from 'saxen';

/** A BPMN file the engine will not take; `problems` name the elements at fault where known. */
export class InvalidBpmnError extends DomainError {
  constructor(message: string, readonly problems: BpmnProblem[] = []) {
    super('INVALID_BPMN', message, 400, { problems });
  }
}

/** A DMN file the engine will not take; `problems` name the elements at fault (decisions, rules, entries) where known. */
export class InvalidDmnError extends DomainError {
  constructor(message: string, readonly problems: BpmnProblem[] = []) {
    super('INVALID_DMN', message, 400, { problems });
  }
}

/** What an XML resource holds: a BPMN diagram or a DMN decision requirements graph; its refusals carry its code. */
export type XmlKind = 'BPMN' | 'DMN';

const refusal = (kind: XmlKind, message: string, problems: BpmnProblem[] = []) =>
  kind === 'DMN' ? new InvalidDmnError(message, problems) : new InvalidBpmnError(message, problems);

export interface BpmnProblem {
  /** The element at fault, when there is one. */
  elementId?: string;
  /** bpmnlint rule, `supported-elements`, or `xml` */
  rule: string;
  message: string;
}

/**
 * The shape of the largest diagram the server parses. Bytes alone do not bound the memory a
 * parse takes: 1.4 MB of 200,000 nested (or 400,000 sibling) elements in one task's
 * extensionElements exhausted the server's heap through bpmn-moddle. A scan with saxen (the
 * streaming parser under bpmn-moddle, which builds no tree) checks these first. Real diagrams
 * are far inside them: the intake diagram has ~1,000 XML elements nested 7 deep; a 300-shape
 * diagram about 4,000. bpmn-moddle holds ~0.65 KB of heap per element (measured: 50,000
 * elements took 32.5 MB and 1.1 s), so 20,000 keeps one parse near 13 MB on a 256 MB heap.
 */
export const DIAGRAM_BOUNDS = {
  /** XML elements in the file, diagram interchange (shapes, edges, waypoints) included. */
  elements: 20_000,
  /** Elements open at once (nested subprocesses and extensions rarely pass 30). */
  depth: 100,
  /** Attributes on one element. */
  attributes: 200,
  /** Characters in one attribute value (names, FEEL expressions). */
  attributeChars: 64 * 1024,
  /** Characters in one text or CDATA node (documentation, embedded form JSON). */
  textChars: 1024 * 1024,
} as const;

const BOUND_WORDS: Record<keyof typeof DIAGRAM_BOUNDS, (limit: number) => string> = {
  elements: (n) => `more than ${n.toLocaleString('en')} XML elements`,
  depth: (n) => `elements nested more than ${n} deep`,
  attributes: (n) => `an element with more than ${n} attributes`,
  attributeChars: (n) => `an attribute value longer than ${n.toLocaleString('en')} characters`,
  textChars: (n) => `a text longer than ${n.toLocaleString('en')} characters`,
};

class BoundExceeded extends Error {
  constructor(
    readonly bound: keyof typeof DIAGRAM_BOUNDS,
    readonly where: string,
  ) {
    super(bound);
  }
}

/**
 * Refuses what a BPMN file never needs and an attacker does: a DOCTYPE or entity
 * declaration (XXE, billion laughs), processing instructions other than the XML prolog, and a
 * shape past DIAGRAM_BOUNDS (element count, nesting depth, attribute and text sizes).
 */
export function assertSafeXml(xml: string, kind: XmlKind = 'BPMN'): void {
  if (xml.trim().length === 0) throw refusal(kind, `The ${kind} file is empty`);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw refusal(kind, `The file declares a DOCTYPE or entities; ${kind} files never need them, so they are refused`, [
      { rule: 'xml', message: 'DOCTYPE and ENTITY declarations are not allowed' },
    ]);
  }
  if (/<\?(?!xml[\s?])/i.test(xml)) {
    throw refusal(kind, 'The file contains processing instructions, which are not allowed', [
      { rule: 'xml', message: 'processing instructions are not allowed' },
    ]);
  }
  assertWithinBounds(xml, kind);
}

/** One pass of saxen over the text, stopping at the first bound passed; builds nothing. */
function assertWithinBounds(xml: string, kind: XmlKind): void {
  const b = DIAGRAM_BOUNDS;
  let elements = 0;
  let depth = 0;
  const parser = new Parser();
  const check = (passed: boolean, bound: keyof typeof DIAGRAM_BOUNDS, where: string) => {
    if (passed) throw new BoundExceeded(bound, where);
  };
  parser.on('openTag', (name, attrs, _decode, selfClosing) => {
    check(++elements > b.elements, 'elements', name);
    if (!selfClosing) check(++depth > b.depth, 'depth', name);
    const values = Object.values(attrs());
    check(values.length > b.attributes, 'attributes', name);
    for (const value of values) check(value.length > b.attributeChars, 'attributeChars', name);
  });
  parser.on('closeTag', () => {
    depth--;
  });
  const text = (value: string) => check(value.length > b.textChars, 'textChars', 'text');
  parser.on('text', text);
  parser.on('cdata', text);
  // Malformed XML is bpmn-moddle's to report, with its own words; only the bounds matter here.
  parser.on('error', () => parser.stop());
  try {
    parser.parse(xml);
  } catch (e) {
    if (!(e instanceof BoundExceeded)) throw e;
    const words = BOUND_WORDS[e.bound](b[e.bound]);
    throw refusal(kind, `The file is too large to be a diagram: it has ${words} (at <${e.where}>)`, [
      { rule: 'xml', message: `${words} (the most a diagram may have: ${e.bound} ${b[e.bound]})` },
    ]);
  }
}
