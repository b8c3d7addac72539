import { describe, expect, it } from 'vitest';
import { toErrorBody } from './exception.filter';

/** What TypeORM throws: a QueryFailedError carrying the pg driver's error with its SQLSTATE. */
const queryFailed = (code: string) => Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: { code } });

describe('toErrorBody: database errors', () => {
  it('answers a data exception (SQLSTATE 22xxx) with a 400 that says which kind of value', () => {
    expect(toErrorBody(queryFailed('22003'))).toEqual({ statusCode: 400, code: 'INVALID_VALUE', message: 'A number in the request is out of range (too large or too small)' });
    expect(toErrorBody(queryFailed('22021')).message).toContain('NUL');
    expect(toErrorBody(queryFailed('22P02')).statusCode).toBe(400);
    expect(toErrorBody(queryFailed('22012'))).toMatchObject({ statusCode: 400, code: 'INVALID_VALUE' });
  });

  it('keeps every other database error a 500 (a fault of the server, logged with its stack)', () => {
    for (const code of ['23505', '40001', '57014', '08006']) expect(toErrorBody(queryFailed(code))).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
  });
});
