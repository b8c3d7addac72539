import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGRAM_BOUNDS, InvalidBpmnError, assertSafeXml } from './safe-xml';

/** A valid-looking diagram whose one user task carries `extension` inside its extensionElements. */
const withExtension = (extension: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:userTask id="t"><bpmn:extensionElements>${extension}</bpmn:extensionElements></bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>`;

const refusal = (xml: string): InvalidBpmnError => {
  try {
    assertSafeXml(xml);
  } catch (e) {
    if (e instanceof InvalidBpmnError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
};

describe('diagram bounds before parsing (issue 18.3)', () => {
  it('takes the intake diagram and a Camunda Modeler file as they are', () => {
    expect(() => assertSafeXml(readFileSync(resolve('bpmn/beneficiary-intake.bpmn'), 'utf8'))).not.toThrow();
    expect(() => assertSafeXml(readFileSync(resolve('test/fixtures/bpmn/modeler-made.bpmn'), 'utf8'))).not.toThrow();
  });

  it('refuses 200,000 nested elements in a task (the 1.4 MB file that exhausted the heap), naming the depth', () => {
    const n = 200_000;
    const e = refusal(withExtension('<zeebe:properties>'.repeat(n) + '</zeebe:properties>'.repeat(n)));
    expect(e.status).toBe(400);
    expect(e.message).toBe(`The file is too large to be a diagram: it has elements nested more than ${DIAGRAM_BOUNDS.depth} deep (at <zeebe:properties>)`);
  });

  it('refuses 400,000 sibling elements, naming the count', () => {
    const e = refusal(withExtension('<zeebe:property name="a" value="b"/>'.repeat(400_000)));
    expect(e.message).toBe('The file is too large to be a diagram: it has more than 20,000 XML elements (at <zeebe:property>)');
    expect(e.details).toMatchObject({ problems: [{ rule: 'xml', message: 'more than 20,000 XML elements (the most a diagram may have: elements 20000)' }] });
  });

  it('refuses an element with too many attributes, a huge attribute value and a huge text', () => {
    const attrs = Array.from({ length: 300 }, (_, i) => `a${i}="x"`).join(' ');
    expect(refusal(withExtension(`<zeebe:property ${attrs}/>`)).message).toContain('an element with more than 200 attributes');
    expect(refusal(withExtension(`<zeebe:property name="${'x'.repeat(70_000)}"/>`)).message).toContain('an attribute value longer than 65,536 characters');
    expect(refusal(withExtension(`<zeebe:userTaskForm id="f">${'x'.repeat(1_100_000)}</zeebe:userTaskForm>`)).message).toContain('a text longer than 1,048,576 characters');
    expect(refusal(withExtension(`<zeebe:userTaskForm id="f"><![CDATA[${'x'.repeat(1_100_000)}]]></zeebe:userTaskForm>`)).message).toContain(
      'a text longer than 1,048,576 characters',
    );
  });

  it('takes a diagram right at the bounds: 100 levels deep, 19,000 elements', () => {
    const deep = DIAGRAM_BOUNDS.depth - 4; // definitions, process, userTask, extensionElements around it
    expect(() => assertSafeXml(withExtension('<zeebe:properties>'.repeat(deep) + '</zeebe:properties>'.repeat(deep)))).not.toThrow();
    expect(() => assertSafeXml(withExtension('<zeebe:property name="a" value="b"/>'.repeat(19_000)))).not.toThrow();
  });

  it('leaves malformed XML to the BPMN parser (its words name the fault)', () => {
    expect(() => assertSafeXml('<bpmn:definitions><unclosed></bpmn:definitions>')).not.toThrow();
  });
});
