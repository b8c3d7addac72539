import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, processId, userTask, useEngine } from './harness';

// Cron timer cycles, as the Camunda 8.8 docs state them:
// https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/#time-cycle
// "Additionally, you can specify a time cycle using cron expressions." …
// "`0 0 9-17 * * MON-FRI`: Every hour on the hour from 9-5 p.m. UTC Monday-Friday".
// A cron cycle has no R/ repetitions: it repeats until the timer is cancelled (Zeebe's CronTimer).
// The test clock is pinned and moves by whole hours, so an hourly cron fires exactly once per advance, whenever the test runs.
describe('engine contract: cron timer cycles', () => {
  const suite = useEngine();
  const HOURLY = '0 0 * * * *';
  beforeAll(() => {
    suite.t.pinClock!();
  });

  const sql = <T>(text: string, params: unknown[]) => suite.t.sql!(text, params) as Promise<T[]>;
  const instancesOf = async (id: string) =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM wf_process_instance WHERE bpmn_process_id = $1`, [id]))[0].n;
  const openTimers = (id: string) =>
    sql<{ due: Date }>(
      `SELECT t.due_at AS due FROM wf_timer t JOIN wf_process_definition d ON d.key = t.process_definition_key
        WHERE d.bpmn_process_id = $1 AND t.state = 'CREATED'`,
      [id],
    );

  it('a timer start event with a cron cycle starts an instance each time the expression matches, on the hour in UTC', async () => {
    // https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/#timer-start-events
    // "When a timer is triggered, a new process instance is created and the corresponding timer start event is activated."
    const id = processId('cronstart');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle>${HOURLY}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
         ${userTask('s1')}<bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s1"/><bpmn:sequenceFlow id="f2" sourceRef="s1" targetRef="end"/>`,
      ),
    });
    const [first] = await openTimers(id);
    const due = new Date(first.due);
    expect([due.getUTCMinutes(), due.getUTCSeconds(), due.getUTCMilliseconds()]).toEqual([0, 0, 0]);
    expect(await instancesOf(id)).toBe(0);
    await suite.t.advanceClock('PT1H');
    expect(await instancesOf(id)).toBe(1);
    const [second] = await openTimers(id);
    expect(new Date(second.due).getTime() - due.getTime()).toBe(3_600_000);
    await suite.t.advanceClock('PT1H');
    expect(await instancesOf(id)).toBe(2);
  });

  it('a non-interrupting boundary timer with a cron cycle fires each time it matches while the task waits', async () => {
    // https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/#timer-boundary-events
    // "A non-interrupting timer boundary event must have either a time duration, a time cycle definition, or a time date definition."
    const id = processId('cronboundary');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('review')}<bpmn:endEvent id="end"/>
         <bpmn:boundaryEvent id="remind" cancelActivity="false" attachedToRef="review">
           <bpmn:timerEventDefinition><bpmn:timeCycle>${HOURLY}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
         ${userTask('reminder')}<bpmn:endEvent id="reminded"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="remind" targetRef="reminder"/><bpmn:sequenceFlow id="f4" sourceRef="reminder" targetRef="reminded"/>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const at = async () => (await suite.t.engine.getInstance(processInstanceKey)).activeElements.map((e) => e.elementId).sort();
    // The boundary event waits beside the task (activeElements lists it); each firing adds a reminder.
    expect(await at()).toEqual(['remind', 'review']);
    await suite.t.advanceClock('PT1H');
    expect(await at()).toEqual(['remind', 'reminder', 'review']);
    await suite.t.advanceClock('PT1H');
    expect(await at()).toEqual(['remind', 'reminder', 'reminder', 'review']);
  });

  it('refuses at deploy a cron cycle that fires more often than ENGINE_MIN_TIMER_CYCLE (PT1M here), and one that does not parse', async () => {
    const id = processId('cronshort');
    const deploy = (cycle: string) =>
      suite.t.engine.deploy({
        resourceName: `${id}.bpmn`,
        xml: bpmn(
          id,
          `<bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
           <bpmn:endEvent id="end"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>`,
        ),
      });
    await expect(deploy('*/30 * * * * *')).rejects.toMatchObject({
      code: 'INVALID_BPMN',
      details: {
        problems: [
          {
            elementId: 'start',
            rule: 'timer-cycle-minimum',
            message: 'The timer cycle */30 * * * * * repeats more often than every 60 s, the shortest this server allows (ENGINE_MIN_TIMER_CYCLE)',
          },
        ],
      },
    });
    await expect(deploy('0 9 * * *')).rejects.toMatchObject({
      code: 'INVALID_BPMN',
      details: {
        problems: [
          // camunda-compat's lint (what Desktop Modeler shows) and the engine's own check both name it.
          { elementId: 'start', rule: 'camunda-compat/timer', message: 'Expression value of <0 9 * * *> not allowed' },
          {
            elementId: 'start',
            rule: 'timer-cycle',
            message:
              'The timer cycle is neither R[n]/[start/]interval nor a cron expression: a cron expression needs six fields (second minute hour day-of-month month day-of-week, e.g. "0 0 9-17 * * MON-FRI"), but "0 9 * * *" has 5',
          },
        ],
      },
    });
    expect(await instancesOf(id)).toBe(0);
  });
});
