import type { Variables } from '../port/workflow-engine';

/**
 * The stored state of one process instance under our core: its live element instances (a
 * tree by flow scope, as Zeebe's element-instance state) and its open event waits. Completed
 * and terminated element instances are dropped, as Zeebe drops them. Field names are short
 * because a parked instance stores this as JSON (≤ 1 KB for a parked intake case).
 *
 * The root element instance is the process instance itself (its key is the instance's key);
 * its variables live in the instance row, not here.
 */
export interface CoreState {
  /** Format marker: tells this state from bpmn-engine's (which has no `core`). */
  core: 2;
  /** Live element instances by key. */
  i: Record<string, ElementInstance>;
  /** Open timers, message and signal subscriptions by their key (see `EventWait`). */
  w?: Record<string, EventWait>;
  /** Compensation subscriptions, in the order their activities completed (absent in states stored before compensation ran). */
  c?: CompensationSubscription[];
}

/**
 * What a completed activity leaves for a later compensation throw event, as Zeebe's compensation
 * subscription (CompensationSubscriptionRecord): written when an activity with a compensation
 * boundary event completes, or a subprocess or multi-instance body in whose scope such
 * subscriptions are; triggered once; removed when its handler completes, or when the subprocess
 * that holds it is terminated.
 */
export interface CompensationSubscription {
  /** The compensable activity's element instance key (that instance has completed). */
  i: string;
  /** Its element id. */
  e: string;
  /** Its flow scope key: where a compensation throw event looks for it. */
  s: string;
  /** The compensation handler associated with its compensation boundary event; absent on a subprocess or body that only holds subscriptions. */
  h?: string;
  /** Once triggered: the element instance key of the compensation throw or end event that waits for it. */
  t?: string;
  /** Once triggered: the element instance key its handler was given. */
  x?: string;
}

export interface ElementInstance {
  /** Element id. */
  e: string;
  /** Flow scope key (absent on the root). */
  p?: string;
  /** 1 on a multi-instance body. */
  b?: 1;
  /** Local variables. */
  v?: Variables;
  /** Inner instance of a multi-instance body: its loopCounter (from 1). */
  lc?: number;
  /** A multi-instance body: [items, inner instances created, completed, terminated]. */
  mi?: [number, number, number, number];
  /** A container: tokens that arrived at parallel joins and wait for the others, by sequence flow id. */
  j?: Record<string, number>;
  /** A container interrupted by an interrupting event subprocess: no other path goes on. */
  x?: 1;
  /** An ad-hoc subprocess whose job worker declared its completion condition fulfilled: it completes once nothing in it is active. */
  f?: 1;
  /** What the element waits for: a job, a user task, an event (timer, message, gateway), a called instance, or compensation handlers. */
  w?: 'job' | 'task' | 'event' | 'call' | 'compensation';
  /** A call activity: the key of the process instance it created. */
  c?: string;
  /** A signal catch event waiting: the signal name its subscription has (evaluated when it opened). */
  s?: string;
}

/** A timer, message or signal subscription, kept by the element instance that opened it. */
export interface EventWait {
  /** The element instance whose life bounds the wait (the activity for a boundary event, the container for an event subprocess start, the gateway for an event-based gateway). */
  o: string;
  /** The event element that catches (boundary, catch event, start event of an event subprocess). */
  e: string;
  /** A timer cycle: repetitions left after this one (null: for ever) and its interval. */
  r?: number | null;
  c?: string;
  /** A signal subscription: the signal name (evaluated when it opened). */
  s?: string;
}

export const isCoreState = (value: unknown): value is CoreState =>
  typeof value === 'object' && value !== null && (value as { core?: unknown }).core === 2;
