import { DomainError } from '@mustafid/platform';

/** A BPMN file the engine will not take; `problems` name the elements at fault where known. */
export class InvalidBpmnError extends DomainError {
  constructor(message: string, readonly problems: BpmnProblem[] = []) {
    super('INVALID_BPMN', message, 400, { problems });
  }
}

export interface BpmnProblem {
  /** The element at fault, when there is one. */
  elementId?: string;
  /** bpmnlint rule, `supported-elements`, or `xml` */
  rule: string;
  message: string;
}

/**
 * Refuses what a BPMN file never needs and an attacker does: a DOCTYPE or entity
 * declaration (XXE, billion laughs) and processing instructions other than the XML prolog.
 */
export function assertSafeXml(xml: string): void {
  if (xml.trim().length === 0) throw new InvalidBpmnError('The BPMN file is empty');
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new InvalidBpmnError('The file declares a DOCTYPE or entities; BPMN files never need them, so they are refused', [
      { rule: 'xml', message: 'DOCTYPE and ENTITY declarations are not allowed' },
    ]);
  }
  if (/<\?(?!xml[\s?])/i.test(xml)) {
    throw new InvalidBpmnError('The file contains processing instructions, which are not allowed', [
      { rule: 'xml', message: 'processing instructions are not allowed' },
    ]);
  }
}
