import type { ModdleElement } from 'bpmn-moddle';
import { parseDefinitions } from './diagramChanges';

/**
 * Checks a `.bpmn` file before it replaces what is on the canvas: its size against the
 * server's limit (DEPLOYMENT_MAX_BYTES), then that it is BPMN 2.0 with a process and a
 * drawing. Anything else leaves the canvas as it was.
 */
export type BpmnFileProblem =
  | { reason: 'too-large'; bytes: number; maxBytes: number }
  | { reason: 'empty' }
  | { reason: 'not-bpmn'; detail: string }
  | { reason: 'no-process' }
  | { reason: 'no-diagram' };

export type BpmnFileCheck = { ok: true; processIds: string[]; warnings: string[] } | { ok: false; problem: BpmnFileProblem };

/** Before reading a file: too large ones are refused without loading them. */
export function sizeProblem(bytes: number, maxBytes: number): BpmnFileProblem | null {
  if (bytes === 0) return { reason: 'empty' };
  return bytes > maxBytes ? { reason: 'too-large', bytes, maxBytes } : null;
}

/** The XML's own size in UTF-8 bytes, as the server counts it. */
export function xmlBytes(xml: string): number {
  return new TextEncoder().encode(xml).length;
}

/** Parses the text as BPMN and checks it has an executable model and a diagram to draw. */
export async function checkBpmnXml(xml: string, maxBytes: number): Promise<BpmnFileCheck> {
  const tooLarge = sizeProblem(xmlBytes(xml), maxBytes);
  if (tooLarge) return { ok: false, problem: tooLarge };
  if (!/<([\w-]+:)?definitions[\s>]/.test(xml)) return { ok: false, problem: { reason: 'not-bpmn', detail: 'no BPMN definitions element' } };
  let definitions: ModdleElement;
  let warnings: string[] = [];
  try {
    definitions = await parseDefinitions(xml);
  } catch (error) {
    return { ok: false, problem: { reason: 'not-bpmn', detail: error instanceof Error ? error.message : String(error) } };
  }
  const rootElements = (definitions.rootElements as ModdleElement[] | undefined) ?? [];
  const processIds = rootElements.filter((e) => e.$type === 'bpmn:Process' && typeof e.id === 'string').map((e) => e.id as string);
  if (processIds.length === 0) return { ok: false, problem: { reason: 'no-process' } };
  const diagrams = (definitions.diagrams as ModdleElement[] | undefined) ?? [];
  if (diagrams.length === 0) return { ok: false, problem: { reason: 'no-diagram' } };
  if (rootElements.some((e) => e.$type === 'bpmn:Collaboration')) warnings = ['collaboration'];
  return { ok: true, processIds, warnings };
}

/** The download's file name: the process id, safe for every file system. */
export function downloadName(bpmnProcessId: string, version?: number): string {
  const base = bpmnProcessId.replace(/[^\w.-]+/g, '_') || 'process';
  return version === undefined ? `${base}.bpmn` : `${base}-v${version}.bpmn`;
}
