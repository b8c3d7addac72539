// Minimal declarations for packages without usable types under CommonJS resolution.
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    $type: string;
    id?: string;
    name?: string;
    $parent?: ModdleElement;
    $instanceOf(type: string): boolean;
    [key: string]: unknown;
  }
  export interface ParseResult {
    rootElement: ModdleElement;
    warnings: Array<{ message: string; element?: ModdleElement; error?: Error }>;
    elementsById: Record<string, ModdleElement>;
    references: unknown[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}

declare module 'bpmnlint' {
  export class Linter {
    constructor(options: { config: unknown; resolver: unknown });
    lint(definitions: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: string; path?: unknown }>>>;
  }
}

declare module 'bpmnlint/lib/resolver/node-resolver' {
  const NodeResolver: new (options?: { require?: NodeJS.Require }) => unknown;
  export = NodeResolver;
}

declare module 'saxen' {
  export class Parser {
    constructor(options?: { proxy?: boolean });
    on(event: 'openTag', fn: (name: string, attrs: () => Record<string, string>, decode: (s: string) => string, selfClosing: boolean) => void): this;
    on(event: 'closeTag', fn: (name: string) => void): this;
    on(event: 'text' | 'cdata' | 'comment', fn: (value: string) => void): this;
    on(event: 'error' | 'warn', fn: (error: Error) => void): this;
    parse(xml: string): void;
    stop(): void;
  }
}

declare module 'dmn-moddle' {
  import type { ParseResult } from 'bpmn-moddle';
  /** bpmn.io's DMN 1.3 moddle: the same tree shape as bpmn-moddle's. */
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
