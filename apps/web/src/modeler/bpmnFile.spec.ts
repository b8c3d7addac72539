import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBpmnXml, downloadName, sizeProblem, xmlBytes } from './bpmnFile';

const intake = readFileSync('bpmn/beneficiary-intake.bpmn', 'utf8');
const desktopModelerFile = readFileSync('test/fixtures/bpmn/modeler-made.bpmn', 'utf8');
const MB = 1024 * 1024;

describe('a .bpmn file before it replaces the canvas', () => {
  it('refuses empty and oversized files by their size alone', () => {
    expect(sizeProblem(0, 5 * MB)).toEqual({ reason: 'empty' });
    expect(sizeProblem(6 * MB, 5 * MB)).toEqual({ reason: 'too-large', bytes: 6 * MB, maxBytes: 5 * MB });
    expect(sizeProblem(5 * MB, 5 * MB)).toBeNull();
  });

  it('counts UTF-8 bytes as the server does (Arabic letters are two bytes)', () => {
    expect(xmlBytes('abc')).toBe(3);
    expect(xmlBytes('مستفيد')).toBe(12);
  });

  it('accepts the intake diagram and a file made in Camunda Desktop Modeler, with their process ids', async () => {
    expect(await checkBpmnXml(intake, 5 * MB)).toEqual({ ok: true, processIds: ['beneficiary-intake'], warnings: [] });
    expect(await checkBpmnXml(desktopModelerFile, 5 * MB)).toMatchObject({ ok: true, processIds: ['modeler-made'] });
  });

  it('refuses what is not BPMN, BPMN without a process, and a process without a drawing', async () => {
    expect(await checkBpmnXml('<html><body>hi</body></html>', MB)).toMatchObject({ ok: false, problem: { reason: 'not-bpmn' } });
    expect(await checkBpmnXml('{"not": "xml"}', MB)).toMatchObject({ ok: false, problem: { reason: 'not-bpmn' } });
    const truncated = intake.slice(0, intake.length / 2);
    expect(await checkBpmnXml(truncated, 5 * MB)).toMatchObject({ ok: false, problem: { reason: 'not-bpmn' } });
    const noProcess = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"></bpmn:definitions>';
    expect(await checkBpmnXml(noProcess, MB)).toEqual({ ok: false, problem: { reason: 'no-process' } });
    const noDiagram = intake.replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, '');
    expect(await checkBpmnXml(noDiagram, 5 * MB)).toEqual({ ok: false, problem: { reason: 'no-diagram' } });
    expect(await checkBpmnXml(intake, 1024)).toMatchObject({ ok: false, problem: { reason: 'too-large', maxBytes: 1024 } });
  });

  it('names the download after the process, safe for any file system', () => {
    expect(downloadName('beneficiary-intake')).toBe('beneficiary-intake.bpmn');
    expect(downloadName('beneficiary-intake', 3)).toBe('beneficiary-intake-v3.bpmn');
    expect(downloadName('a/b:c')).toBe('a_b_c.bpmn');
    expect(downloadName('')).toBe('process.bpmn');
  });
});
