import { DomainError } from '@mustafid/platform';

/** The gRPC status codes the adapter acts on (grpc-js's `status` enum; the SDK does not re-export it). */
export const GrpcStatus = {
  DEADLINE_EXCEEDED: 4,
  ABORTED: 10,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

/** gRPC status of an SDK error (its message starts with the code, e.g. "5 NOT_FOUND: …"). */
export function grpcCode(e: unknown): number | undefined {
  const err = e as { code?: unknown; message?: unknown };
  if (typeof err?.code === 'number') return err.code;
  const match = typeof err?.message === 'string' ? /^(\d+) [A-Z_]+:/.exec(err.message) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * What a failed command says about whether the broker took it.
 * - RESOURCE_EXHAUSTED is backpressure: the broker "signals backpressure and rejects requests with this error code",
 *   and "it is possible to retry the requests" (https://docs.camunda.io/docs/apis-tools/zeebe-api/technical-error-handling/).
 * - DEADLINE_EXCEEDED ("Time out between gateway and broker"), UNAVAILABLE and ABORTED ("the request may or may not have
 *   been accepted, and may not be safe to retry") leave it open (camunda/camunda zeebe/gateway-grpc …/grpc/GrpcErrorMapper.java):
 *   the broker may have processed the command after the client stopped waiting. The SDK's own retry sends the command
 *   again on all of them, which is how one CreateProcessInstance made two instances.
 */
export function failureKind(e: unknown): 'backpressure' | 'unknown-outcome' | 'answered' {
  const code = grpcCode(e);
  if (code === GrpcStatus.RESOURCE_EXHAUSTED) return 'backpressure';
  if (code === GrpcStatus.DEADLINE_EXCEEDED || code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.ABORTED) return 'unknown-outcome';
  return 'answered';
}

export interface CommandPolicy<T> {
  /**
   * Sending the command twice has the effect of sending it once (deploying the same resource, setting a
   * variable to a value, a job's retries to a number): an open outcome is retried as it is.
   */
  idempotent?: boolean;
  /**
   * Before sending again after an open outcome: finds out from the broker (its REST search) whether the
   * first attempt took effect; its answer then is the command's. Without it and without `idempotent`, an
   * open outcome is not sent again: the caller gets ZEEBE_OUTCOME_UNKNOWN.
   */
  beforeRetry?: () => Promise<{ done: true; value: T } | { done: false }>;
  /**
   * The broker's answer to an attempt after one whose outcome was open (e.g. NOT_FOUND for a job the
   * first attempt already completed): reconciles it, answering the command's result or throwing.
   */
  afterOpenOutcome?: (e: unknown) => Promise<T>;
}

export interface RetrySettings {
  /** Attempts in all (the first one included). */
  attempts: number;
  /** Back-off before attempt n (n ≥ 2): min(maxDelayMs, firstDelayMs · 2^(n-2)). */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** A gateway that is down is tried for a few minutes, as the SDK's own retry (50 tries, ≤ 5 s apart) did. */
export const DEFAULT_RETRY: RetrySettings = { attempts: 50, firstDelayMs: 250, maxDelayMs: 5000 };

/**
 * Sends a gRPC command with the adapter's own retry policy instead of the SDK's blind one
 * (ZEEBE_GRPC_CLIENT_RETRY is off, docs/decisions/0029): backpressure is retried, an open outcome
 * only as `policy` allows, any other answer is final.
 */
export async function sendCommand<T>(name: string, send: () => Promise<T>, policy: CommandPolicy<T> = {}, retry: RetrySettings = DEFAULT_RETRY): Promise<T> {
  let openOutcome = false;
  let last: unknown;
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    if (attempt > 1) {
      await new Promise((r) => setTimeout(r, Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (attempt - 2))));
      if (openOutcome && policy.beforeRetry) {
        let found: Awaited<ReturnType<NonNullable<CommandPolicy<T>['beforeRetry']>>>;
        try {
          found = await policy.beforeRetry();
        } catch (e) {
          // The search itself did not answer (the gateway's REST side is down too): look again later, never send blind.
          last = e;
          continue;
        }
        if (found.done) return found.value;
      }
    }
    try {
      return await send();
    } catch (e) {
      last = e;
      const kind = failureKind(e);
      if (kind === 'backpressure') continue;
      if (kind === 'unknown-outcome') {
        if (!policy.idempotent && !policy.beforeRetry) throw outcomeUnknown(name, e);
        openOutcome = true;
        continue;
      }
      if (openOutcome && policy.afterOpenOutcome) return policy.afterOpenOutcome(e);
      throw e;
    }
  }
  throw openOutcome && !policy.idempotent ? outcomeUnknown(name, last) : last;
}

function outcomeUnknown(name: string, e: unknown): DomainError {
  const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new DomainError(
    'ZEEBE_OUTCOME_UNKNOWN',
    `Zeebe did not answer ${name} (${reason}); it may or may not have been carried out, so it is not sent again blindly. Check the instance in Operate before trying again`,
    503,
  );
}
