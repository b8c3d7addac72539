import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffXml, elementNames, elementsById, parseDefinitions } from './diagramChanges';

const intake = readFileSync('bpmn/beneficiary-intake.bpmn', 'utf8');

describe('diagram changes against the deployed version', () => {
  it('finds nothing between a diagram and itself', async () => {
    expect(await diffXml(intake, intake)).toEqual([]);
  });

  it('reads the Arabic name and the English name:en property', async () => {
    const elements = elementsById(await parseDefinitions(intake));
    expect(elementNames(elements.get('Task_ReceptionCheck'))).toEqual({ ar: 'استقبال المستفيد ومطابقة بياناته', en: 'Receive the applicant and match the data' });
    // Elements inside sub-processes too.
    expect(elements.get('Task_CommitteeVote')?.$type).toBe('bpmn:UserTask');
  });

  it('lists a renamed task as changed, with its old and new names', async () => {
    const renamed = intake.replace('name="استقبال المستفيد ومطابقة بياناته"', 'name="استقبال المستفيد"');
    const changes = await diffXml(intake, renamed);
    expect(changes).toEqual([
      { id: 'Task_ReceptionCheck', kind: 'changed', type: 'UserTask', name: { ar: 'استقبال المستفيد', en: 'Receive the applicant and match the data' }, oldName: { ar: 'استقبال المستفيد ومطابقة بياناته', en: 'Receive the applicant and match the data' }, attrs: ['name'] },
    ]);
  });

  it('lists a changed English name and a changed job type', async () => {
    const changed = intake
      .replace('value="Receive the applicant and match the data"', 'value="Welcome the applicant"')
      .replace('type="verify-data"', 'type="verify-everything"');
    const changes = await diffXml(intake, changed);
    expect(changes.map((c) => [c.id, c.kind])).toEqual([
      ['Task_ReceptionCheck', 'changed'],
      ['Task_VerifyData', 'changed'],
    ]);
    expect(changes[0]!.name.en).toBe('Welcome the applicant');
    expect(changes[0]!.oldName?.en).toBe('Receive the applicant and match the data');
  });

  it('lists removed and added elements, and moves apart', async () => {
    const doc = await parseDefinitions(intake);
    expect(doc.$type).toBe('bpmn:Definitions');
    const withTask = intake.replace('</bpmn:process>', '<bpmn:task id="Task_New" name="مهمة جديدة" /></bpmn:process>');
    expect(await diffXml(intake, withTask)).toEqual([{ id: 'Task_New', kind: 'added', type: 'Task', name: { ar: 'مهمة جديدة' }, attrs: [] }]);
    expect(await diffXml(withTask, intake)).toEqual([{ id: 'Task_New', kind: 'removed', type: 'Task', name: { ar: 'مهمة جديدة' }, attrs: [] }]);
    const moved = intake.replace(/(<bpmndi:BPMNShape id="[^"]*" bpmnElement="Task_VerifyData"[^>]*>\s*<dc:Bounds x=")(\d+)/, (_m, head: string, x: string) => `${head}${Number(x) + 40}`);
    expect(moved).not.toBe(intake);
    expect(await diffXml(intake, moved)).toEqual([{ id: 'Task_VerifyData', kind: 'layout', type: 'ServiceTask', name: { ar: 'التحقق الآلي من البيانات والمستندات', en: 'Check the data and documents automatically' }, attrs: [] }]);
  });

  it('refuses what is not BPMN', async () => {
    await expect(parseDefinitions('<html><body>hello</body></html>')).rejects.toThrow();
    await expect(parseDefinitions('not xml at all')).rejects.toThrow();
  });
});
