import { describe, expect, it } from 'vitest';
import { complete } from '@mustafid/workflow';
import { chain, eventually, processId, useEngine } from './harness';

const loop = (sequential: boolean, extra = 'outputCollection="results" outputElement="=result"') =>
  `<bpmn:multiInstanceLoopCharacteristics${sequential ? ' isSequential="true"' : ''}><bpmn:extensionElements>
     <zeebe:loopCharacteristics inputCollection="=members" inputElement="member" ${extra}/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;

describe('engine contract: multi-instance with zeebe:loopCharacteristics', () => {
  const suite = useEngine();
  const workers = suite.workers;

  it.each([
    ['parallel', false],
    ['sequential', true],
  ])('%s: one job per item with the item as inputElement, outputs collected in order', async (_, sequential) => {
    const id = processId(`mi-${sequential ? 'seq' : 'par'}`);
    await suite.t.engine.deploy({
      resourceName: 'mi.bpmn',
      xml: chain(id, [`<bpmn:serviceTask id="s1"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-vote"/></bpmn:extensionElements>${loop(sequential)}</bpmn:serviceTask>`]),
    });
    const seen: Array<{ member: unknown; loopCounter: unknown }> = [];
    workers.push(
      suite.t.engine.createWorker({
        type: `${id}-vote`,
        handler: async (job) => {
          seen.push({ member: job.variables.member, loopCounter: job.variables.loopCounter });
          return complete({ result: `${job.variables.member}:approve` });
        },
      }),
    );
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { members: ['sara', 'omar', 'huda'] } });
    const done = await eventually(async () => {
      const i = await suite.t.engine.getInstance(processInstanceKey);
      return i.state === 'COMPLETED' ? i : undefined;
    });
    expect(done.variables.results).toEqual(['sara:approve', 'omar:approve', 'huda:approve']);
    expect(done.variables).not.toHaveProperty('member');
    expect(seen.map((s) => s.member).sort()).toEqual(['huda', 'omar', 'sara']);
    // Sequential: one after another, in order. Parallel: all three exist at once, in any order, each
    // with its own item and loop counter (docs: "Multi-instance" › "loopCounter").
    if (sequential) expect(seen).toEqual([{ member: 'sara', loopCounter: 1 }, { member: 'omar', loopCounter: 2 }, { member: 'huda', loopCounter: 3 }]);
    else expect([...seen].sort((a, b) => Number(a.loopCounter) - Number(b.loopCounter))).toEqual([{ member: 'sara', loopCounter: 1 }, { member: 'omar', loopCounter: 2 }, { member: 'huda', loopCounter: 3 }]);
  });

  it('a committee vote: one user task per member, each with the member as assignee', async () => {
    const id = processId('mi-vote');
    await suite.t.engine.deploy({
      resourceName: 'vote.bpmn',
      xml: chain(id, [
        `<bpmn:userTask id="s1" name="vote"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition assignee="=member"/></bpmn:extensionElements>${loop(false, 'outputCollection="votes" outputElement="=vote"')}</bpmn:userTask>`,
      ]),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { members: ['sara', 'omar'] } });
    const tasks = (await suite.t.engine.listUserTasks(processInstanceKey, 'CREATED')).sort((x, y) => (x.assignee ?? '').localeCompare(y.assignee ?? ''));
    expect(tasks.map((x) => x.assignee)).toEqual(['omar', 'sara']);
    await suite.t.engine.completeUserTask(tasks[1].key, { vote: 'approve' });
    expect((await suite.t.engine.getInstance(processInstanceKey)).state).toBe('ACTIVE');
    await suite.t.engine.completeUserTask(tasks[0].key, { vote: 'reject' });
    const done = await suite.t.engine.getInstance(processInstanceKey);
    expect(done.state).toBe('COMPLETED');
    expect(done.variables.votes).toEqual(['approve', 'reject']);
  });

  it('an input collection that is not a list is an incident', async () => {
    const id = processId('mi-bad');
    await suite.t.engine.deploy({
      resourceName: 'bad.bpmn',
      xml: chain(id, [`<bpmn:serviceTask id="s1"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-x"/></bpmn:extensionElements>${loop(false)}</bpmn:serviceTask>`]),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { members: 'not a list' } });
    const instance = await suite.t.engine.getInstance(processInstanceKey);
    expect(instance.incidents).toMatchObject([{ errorType: 'EXTRACT_VALUE_ERROR', elementId: 's1' }]);
  });
});
