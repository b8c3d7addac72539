/**
 * A failure the caller can act on: a stable `code` for programs, a `message` for people,
 * and the HTTP status the exception filter answers with.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} was not found`, 404, { what, id });
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 409, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Sign in first: this needs a valid session', code = 'UNAUTHENTICATED') {
    super(code, message, 401);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, code = 'FORBIDDEN') {
    super(code, message, 403);
  }
}

/**
 * What this server does not do yet (a Camunda API option, or a route on one engine but not the
 * other): 501, so a client sees at once that retrying or rephrasing will not help.
 */
export class NotSupportedError extends DomainError {
  constructor(message: string) {
    super('NOT_SUPPORTED', message, 501);
  }
}
