import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '@mustafid/platform';
import { isClientCommand } from '../port/client-commands';

/**
 * Backpressure for the clients' commands, as Zeebe's: the engine takes at most `max` of them at
 * once (ENGINE_MAX_PENDING_COMMANDS); one more is refused at once with RESOURCE_EXHAUSTED (503;
 * gRPC RESOURCE_EXHAUSTED), which Camunda's clients treat as backpressure and send again
 * (https://docs.camunda.io/docs/self-managed/operational-guides/backpressure/ ; the 8.8 REST API
 * answers 503 with the title RESOURCE_EXHAUSTED). Only calls made as a client's command
 * (`asClientCommand`, port/client-commands.ts) count; Mustafid's own work is never refused.
 */
export class CommandAdmission {
  private inHand = 0;
  /** Set inside an admitted command: what it sends on (a message starting an instance) is part of it. */
  private readonly admitted = new AsyncLocalStorage<true>();

  constructor(
    private readonly max: number,
    private readonly onRefused: () => void = () => undefined,
  ) {}

  /** Commands from clients being processed now. */
  get pending(): number {
    return this.inHand;
  }

  async admit<T>(run: () => Promise<T>): Promise<T> {
    if (!isClientCommand() || this.admitted.getStore()) return run();
    if (this.inHand >= this.max) {
      this.onRefused();
      throw new DomainError(
        'RESOURCE_EXHAUSTED',
        `The engine is busy: it has ${this.inHand} commands in hand (ENGINE_MAX_PENDING_COMMANDS). Send the command again in a moment`,
        503,
      );
    }
    this.inHand++;
    try {
      return await this.admitted.run(true, run);
    } finally {
      this.inHand--;
    }
  }
}

/** Marks an engine method as a client's command: it goes through the engine's `admission`. */
export function Admitted(): MethodDecorator {
  return (_target, _name, descriptor: PropertyDescriptor) => {
    const run = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: { admission: CommandAdmission }, ...args: unknown[]) {
      return this.admission.admit(() => run.apply(this, args));
    };
  };
}
