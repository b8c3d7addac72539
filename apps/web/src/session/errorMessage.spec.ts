import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { apiErrorMessage, isConflict } from './errorMessage';

// A stand-in translator that shows the key and its values.
const t = ((key: string, values?: Record<string, unknown>) => (values ? `${key} ${JSON.stringify(values)}` : key)) as unknown as TFunction;

describe('apiErrorMessage', () => {
  it('names who holds the task, or who completed it', () => {
    const held = new ApiError(409, 'TASK_HELD', 'Task 1 is claimed by researcher', { assignee: 'researcher', version: 3 });
    expect(apiErrorMessage(t, held)).toBe('errors.TASK_HELD {"assignee":"researcher"}');
    expect(apiErrorMessage(t, new ApiError(409, 'TASK_COMPLETED', 'done', { completedBy: 'committee2' }))).toBe('errors.TASK_COMPLETED {"completedBy":"committee2"}');
    expect(apiErrorMessage(t, new ApiError(409, 'TASK_COMPLETED', 'done'))).toBe('errors.TASK_COMPLETED_UNKNOWN');
  });

  it('translates the other codes and statuses it knows', () => {
    expect(apiErrorMessage(t, new ApiError(409, 'STALE_TASK', 'x'))).toBe('errors.STALE_TASK');
    expect(apiErrorMessage(t, new ApiError(409, 'ALREADY_VOTED', 'x'))).toBe('errors.ALREADY_VOTED');
    expect(apiErrorMessage(t, new ApiError(0, ApiError.NETWORK, 'fetch failed'))).toBe('errors.network');
    expect(apiErrorMessage(t, new ApiError(404, 'NOT_FOUND', 'Task 9 not found'))).toBe('errors.notFound');
    expect(apiErrorMessage(t, new ApiError(413, 'FILE_TOO_LARGE', 'big'))).toBe('errors.FILE_TOO_LARGE');
  });

  it('words a service dated before the decision with the decision day in both calendars', () => {
    const early = new ApiError(400, 'SERVICE_DATE_BEFORE_DECISION', 'The service date 2026-11-24 is before…', { decisionDay: '2026-11-25', fields: { deliveredOn: ['…'] } });
    const gregorian = new Intl.DateTimeFormat('ar-SA', { calendar: 'gregory', dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2026-11-25T12:00:00Z'));
    const hijri = new Intl.DateTimeFormat('ar-SA', { calendar: 'islamic-umalqura', dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2026-11-25T12:00:00Z'));
    expect(apiErrorMessage(t, early)).toBe(`errors.SERVICE_DATE_BEFORE_DECISION {"date":"${gregorian} (${hijri})"}`);
    expect(apiErrorMessage(t, new ApiError(400, 'SERVICE_DATE_BEFORE_DECISION', 'x'))).toBe('errors.VALIDATION_FAILED');
  });

  it("shows the server's message for anything else", () => {
    expect(apiErrorMessage(t, new ApiError(500, 'ENGINE', 'The engine said no'))).toBe('The engine said no');
    expect(apiErrorMessage(t, new Error('boom'))).toBe('errors.unknown');
  });

  it('tells conflicts apart', () => {
    expect(isConflict(new ApiError(409, 'STALE_TASK', 'x'))).toBe(true);
    expect(isConflict(new ApiError(400, 'VALIDATION_FAILED', 'x'))).toBe(false);
  });
});

describe('ApiError.fields', () => {
  it('reads details.fields, ignoring what is not a list', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'x', { fields: { nationalId: ['bad'], 'documents.0.expiryDate': ['old', 'odd'], weird: 'no' } });
    expect(error.fields).toEqual({ nationalId: ['bad'], 'documents.0.expiryDate': ['old', 'odd'] });
    expect(new ApiError(400, undefined, 'x').fields).toEqual({});
  });
});
