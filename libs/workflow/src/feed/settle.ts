import type { EmbeddedWorkflowEngine } from '../embedded/embedded-engine';
import { EventFeedFollower } from './event-feed-follower';

/**
 * Returns once every timer due by the clock's time has fired, the in-process workers have
 * drained, and the feed's projections (case progress, task list, audit log) hold it: what a
 * route that moves the test clock waits for before it answers.
 */
export async function settleEngine(engine: EmbeddedWorkflowEngine): Promise<{ timersFired: number }> {
  const { timersFired } = await engine.settle();
  await EventFeedFollower.catchUpAll(engine);
  return { timersFired };
}
