import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdjustableClock } from './clock';

describe('AdjustableClock (ENABLE_TEST_CLOCK)', () => {
  afterEach(() => vi.useRealTimers());

  it('runs with real time plus what was advanced, and never moves back', () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z') });
    const clock = new AdjustableClock();
    expect(clock.advance(3_600_000).toISOString()).toBe('2026-12-04T11:00:00.000Z');
    vi.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe('2026-12-04T11:00:01.000Z');
    expect(() => clock.advance(-1)).toThrow('Time can only move forward');
  });

  it('pinned, stands still while real time passes and moves only by advance; released, flows on from there', () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z') });
    const clock = new AdjustableClock();
    clock.advance(60_000);
    expect(clock.pin().toISOString()).toBe('2026-12-04T10:01:00.000Z');
    vi.advanceTimersByTime(90_000);
    expect(clock.now().toISOString()).toBe('2026-12-04T10:01:00.000Z');
    expect(clock.advance(14 * 86_400_000).toISOString()).toBe('2026-12-18T10:01:00.000Z');
    expect(clock.pinned).toBe(true);
    expect(clock.release().toISOString()).toBe('2026-12-18T10:01:00.000Z');
    vi.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe('2026-12-18T10:01:01.000Z');
    expect(clock.pinned).toBe(false);
  });

  it('pins at a given instant, never before the time it shows; released, flows on from there', () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z') });
    const clock = new AdjustableClock();
    expect(clock.pinAt(Date.parse('2026-12-05T10:00:00Z')).toISOString()).toBe('2026-12-05T10:00:00.000Z');
    vi.advanceTimersByTime(5000);
    expect(clock.now().toISOString()).toBe('2026-12-05T10:00:00.000Z');
    expect(() => clock.pinAt(Date.parse('2026-12-05T09:59:59.999Z'))).toThrow(
      "The clock cannot be pinned at 2026-12-05T09:59:59.999Z: it already shows 2026-12-05T10:00:00.000Z, and the engine's time only moves forward",
    );
    expect(clock.pinAt(Date.parse('2026-12-05T10:00:00Z')).toISOString()).toBe('2026-12-05T10:00:00.000Z');
    expect(clock.release().toISOString()).toBe('2026-12-05T10:00:00.000Z');
    vi.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe('2026-12-05T10:00:01.000Z');
  });
});
