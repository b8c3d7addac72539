import type { AuthUser } from '@mustafid/auth';
import { DomainError, requestValueProblem } from '@mustafid/platform';
import type { Actor } from '@mustafid/workflow';

export const actorOf = (user: AuthUser): Actor => ({ id: user.id, username: user.username });

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The calendar day in Riyadh, YYYY-MM-DD: what "the submission date" means to the office. */
export function riyadhDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * A multipart body carries the JSON in a field; a JSON body is the object itself. The part is
 * held to what the edge holds JSON bodies to (no NUL, no lone surrogates, no prototype keys,
 * not nested too deep): the body parser never saw it.
 */
export function jsonPart(body: unknown, field: string): unknown {
  if (body && typeof body === 'object' && typeof (body as Record<string, unknown>)[field] === 'string') {
    let value: unknown;
    try {
      value = JSON.parse((body as Record<string, string>)[field]);
    } catch {
      throw new DomainError('MALFORMED_JSON', `The "${field}" part must be JSON`, 400);
    }
    const problem = requestValueProblem(value, 'body');
    if (problem) throw problem;
    return value;
  }
  return body;
}

