import { AsyncLocalStorage } from 'node:async_hooks';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

/**
 * Which engine calls come from Camunda's clients (the /v2 API, the Zeebe gateway, the engine's
 * own /api routes for workers and scripts): those meet the engine's backpressure
 * (ENGINE_MAX_PENDING_COMMANDS). Mustafid's own work (staff screens, the intake, in-process
 * workers, timers) runs outside this context and is never refused.
 */
const clientCalls = new AsyncLocalStorage<true>();

export function asClientCommand<T>(run: () => Promise<T>): Promise<T> {
  return clientCalls.run(true, run);
}

export function isClientCommand(): boolean {
  return clientCalls.getStore() === true;
}

/** Runs a controller's handlers as clients' commands (`@UseInterceptors(ClientCommands)`). */
@Injectable()
export class ClientCommands implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return new Observable((subscriber) => clientCalls.run(true, () => next.handle().subscribe(subscriber)));
  }
}
