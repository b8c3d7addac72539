/**
 * Named points where a test may have the process die as in a power cut (SIGKILL: no shutdown
 * hooks, nothing flushed), to prove that what follows recovers. Armed only by TEST_CRASH_POINT,
 * which the configuration refuses with NODE_ENV=production.
 */
export const CRASH_POINTS = ['after-intake-start'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

let armed: CrashPoint | undefined;

export function armCrashPoint(point: CrashPoint | undefined): void {
  armed = point;
}

export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
