/**
 * Per-step cost of the execution cores, in memory (part of `npm run bench:engine`; see
 * docs/performance.md). Not a test: one `it()` that measures and prints a table.
 *
 *   step     one job completion of start → 10 service tasks → end, each step recovered from
 *            its stored state (JSON), run, and stored again (JSON): what a step costs in Node
 *   parked   bytes of engine state of an instance waiting at a timer, and at the intake
 *            process's first wait
 *   fire     recover a parked timer instance from its state and fire its timer
 *
 * Each core is measured against a bare baseline in the same run: a plain state machine that
 * does the same step (parse the state, move one task on, create the job record, stringify).
 * Knobs: BENCH_CORE_INSTANCES (300; the bpmn-engine core runs a tenth of them), BENCH_CORE_JSON (write the figures
 * to this file; not BENCH_JSON, which is the engine benchmark's file in the same `npm run bench:engine`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProcess } from '../libs/workflow/src/model/compile';
import { CoreRun } from '../libs/workflow/src/core/run';
import type { KeySource } from '../libs/workflow/src/core/keys';
import { type Command, InstanceRun, type OpenWaits, type RunResult } from '../libs/workflow/src/embedded/instance-run';
import type { Clock } from '../libs/workflow/src/embedded/clock';

const INSTANCES = Number(process.env.BENCH_CORE_INSTANCES ?? 300);
const clock: Clock = { now: () => new Date('2026-12-01T08:00:00Z') };
let counter = 1_000_000n;
const keys: KeySource = { next: () => String(++counter) };

const bpmn = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
const chainXml = (() => {
  const ids = ['start', ...Array.from({ length: 10 }, (_, i) => `t${i + 1}`), 'end'];
  const tasks = ids.slice(1, -1).map((id) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>`);
  const flows = ids.slice(1).map((to, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${to}"/>`);
  return bpmn('bench-chain', `<bpmn:startEvent id="start"/>${tasks.join('')}<bpmn:endEvent id="end"/>${flows.join('')}`);
})();
const timerXml = bpmn(
  'bench-timer',
  `<bpmn:startEvent id="start"/><bpmn:intermediateCatchEvent id="hold"><bpmn:timerEventDefinition><bpmn:timeDuration>P14D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
   <bpmn:endEvent id="end"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="hold"/><bpmn:sequenceFlow id="f2" sourceRef="hold" targetRef="end"/>`,
);

interface Stored {
  state: string;
  variables: Record<string, unknown>;
  wait?: string;
}

type Runner = (stored: Stored, command: Command) => Promise<{ stored: Stored; result: RunResult }>;

function emptyOpen(wait?: string, kind: keyof OpenWaits = 'jobs'): OpenWaits {
  const open: OpenWaits = { jobs: new Set(), timers: new Set(), subscriptions: new Set(), userTasks: new Set(), signalSubscriptions: new Set() };
  if (wait) open[kind].add(wait);
  return open;
}

/** What every runner ends a step with: the state as it would be stored, and the next wait's key. */
function store(result: RunResult, variables: Record<string, unknown>): Stored {
  const wait = result.jobs[0]?.elementInstanceKey ?? result.timers[0]?.elementInstanceKey;
  return { state: result.engineState === null ? 'null' : JSON.stringify(result.engineState), variables, wait };
}

async function ownCore(xml: string, id: string): Promise<Runner> {
  const { graph } = await compileProcess(xml, id);
  return async (stored, command) => {
    const run = new CoreRun(graph, JSON.parse(stored.state) ?? undefined, stored.variables, '1', command, clock, keys);
    const result = await run.execute();
    return { stored: store(result, result.variables), result };
  };
}

async function bpmnEngineCore(xml: string, id: string): Promise<Runner> {
  const compiled = await compileProcess(xml, id);
  return async (stored, command) => {
    const kind = command.kind === 'fireTimer' ? 'timers' : 'jobs';
    const run = new InstanceRun(compiled, JSON.parse(stored.state) ?? undefined, stored.variables, emptyOpen(stored.wait, kind), command, clock);
    const result = await run.execute();
    return { stored: store(result, result.variables), result };
  };
}

/** The bare baseline: a plain state machine doing the same step on the same chain. */
const bare: Runner = async (stored, command) => {
  const state = JSON.parse(stored.state) as { at: number; key: string } | null;
  const at = command.kind === 'start' ? 1 : (state?.at ?? 0) + 1;
  const done = at > 10;
  const key = keys.next();
  const result = {
    state: done ? 'COMPLETED' : 'ACTIVE',
    engineState: done ? null : { at, key },
    variables: stored.variables,
    jobs: done ? [] : [{ elementId: `t${at}`, elementInstanceKey: key, type: 'work', retries: 3, headers: {}, localVariables: {} }],
    timers: [],
    subscriptions: [],
    userTasks: [],
    ended: new Set<string>(),
    timersFired: new Set<string>(),
    events: [],
  } as RunResult;
  return { stored: store(result, stored.variables), result };
};

/** Runs `instances` instances of the chain to their end; CPU ms per job step. */
async function stepCost(run: Runner, instances: number): Promise<{ msPerStep: number; steps: number }> {
  const one = async () => {
    let { stored } = await run({ state: 'null', variables: { n: 1 } }, { kind: 'start' });
    let steps = 0;
    while (stored.state !== 'null') {
      ({ stored } = await run(stored, { kind: 'completeJob', elementInstanceKey: stored.wait!, variables: { [`done${steps}`]: true } }));
      steps++;
    }
    return steps;
  };
  for (let i = 0; i < Math.min(20, instances); i++) await one(); // warm-up
  const cpu0 = process.cpuUsage();
  let steps = 0;
  for (let i = 0; i < instances; i++) steps += await one();
  const cpu = process.cpuUsage(cpu0);
  return { msPerStep: (cpu.user + cpu.system) / 1000 / steps, steps };
}

/** Parks `n` instances at the timer, then recovers each and fires it; CPU ms per firing and state bytes. */
async function fireCost(run: Runner, n: number): Promise<{ msPerFire: number; bytes: number }> {
  const parked: Stored[] = [];
  for (let i = 0; i < n; i++) parked.push((await run({ state: 'null', variables: { n: i } }, { kind: 'start' })).stored);
  const cpu0 = process.cpuUsage();
  for (const stored of parked) {
    const { result } = await run(stored, { kind: 'fireTimer', elementInstanceKey: stored.wait! });
    expect(result.state).toBe('COMPLETED');
  }
  const cpu = process.cpuUsage(cpu0);
  return { msPerFire: (cpu.user + cpu.system) / 1000 / n, bytes: Buffer.byteLength(parked[0].state) };
}

describe('execution core step cost', () => {
  it('measures CPU per step, state bytes and recover-and-fire, against a bare state machine', async () => {
    const oldCount = Math.max(10, Math.round(INSTANCES / 10));
    const baseline = await stepCost(bare, INSTANCES);
    const own = await stepCost(await ownCore(chainXml, 'bench-chain'), INSTANCES);
    const old = await stepCost(await bpmnEngineCore(chainXml, 'bench-chain'), oldCount);
    const ownFire = await fireCost(await ownCore(timerXml, 'bench-timer'), INSTANCES);
    const oldFire = await fireCost(await bpmnEngineCore(timerXml, 'bench-timer'), oldCount);

    // The intake process parked at its first wait, as a submission starts it.
    const intake = readFileSync(join(__dirname, '../bpmn/beneficiary-intake.bpmn'), 'utf8');
    const variables = { applicationNumber: 'B-1', channel: 'C7', minimumResponsePeriod: 'P14D', applicant: { name: 'x' } };
    const ownIntake = await (await ownCore(intake, 'beneficiary-intake'))({ state: 'null', variables }, { kind: 'start' });
    const oldIntake = await (await bpmnEngineCore(intake, 'beneficiary-intake'))({ state: 'null', variables }, { kind: 'start' });

    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    const rows = [
      ['bare state machine, CPU per job step', `${(baseline.msPerStep * 1000).toFixed(1)} µs`, '1.0×'],
      ['own core, CPU per job step', `${(own.msPerStep * 1000).toFixed(1)} µs`, ratio(own.msPerStep, baseline.msPerStep)],
      ['bpmn-engine core (recovered), CPU per job step', `${(old.msPerStep * 1000).toFixed(1)} µs`, ratio(old.msPerStep, baseline.msPerStep)],
      ['own core, recover and fire a parked timer', `${(ownFire.msPerFire * 1000).toFixed(1)} µs`, ratio(ownFire.msPerFire, baseline.msPerStep)],
      ['bpmn-engine core, recover and fire a parked timer', `${(oldFire.msPerFire * 1000).toFixed(1)} µs`, ratio(oldFire.msPerFire, baseline.msPerStep)],
      ['own core, state bytes parked at a timer', `${ownFire.bytes} B`, ''],
      ['bpmn-engine core, state bytes parked at a timer', `${oldFire.bytes} B`, ''],
      ['own core, state bytes of an intake case at its first wait', `${Buffer.byteLength(ownIntake.stored.state)} B`, ''],
      ['bpmn-engine core, state bytes of an intake case at its first wait', `${Buffer.byteLength(oldIntake.stored.state)} B`, ''],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    const cpu = cpus()[0]?.model ?? 'unknown cpu';
    const lines = [
      `core step bench · ${new Date().toISOString()} · ${availableParallelism()} cores (${cpu}) · load ${loadavg().map((l) => l.toFixed(2)).join(' ')} · node ${process.version}`,
      `instances: ${INSTANCES} (bpmn-engine: ${oldCount}), ${own.steps} own-core steps; ratios are against the bare state machine's step in this run`,
      ...rows.map((r) => `| ${r[0].padEnd(width)} | ${r[1].padStart(12)} | ${r[2].padStart(7)} |`),
    ];
    console.log(lines.join('\n'));
    if (process.env.BENCH_CORE_JSON) writeFileSync(process.env.BENCH_CORE_JSON, JSON.stringify({ baseline, own, old, ownFire, oldFire }, null, 2));
    expect(own.steps).toBe(INSTANCES * 10);
  });
});
