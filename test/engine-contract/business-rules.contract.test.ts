import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, ProcessInstanceView } from '@mustafid/workflow';
import { chain, processId, useEngine } from './harness';

// Business rule tasks that call a DMN decision, as the Camunda 8.8 docs describe them:
// https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/ — "When the process
// instance arrives at a business rule task, a decision is evaluated using the internal DMN decision
// engine. Once the decision is made, the process instance continues." The decision tables, hit
// policies, literal expressions and decision requirements follow
// https://docs.camunda.io/docs/components/modeler/dmn/ (decision-table-hit-policy,
// decision-table-rule, decision-table-output, decision-literal-expression, decision-requirements-graph),
// with the result shapes of dmn-scala, Zeebe's DMN engine (camunda/dmn-scala DecisionTableEvaluator).
//
// Real DMN files, copied unchanged (test/fixtures/dmn/sources.json, LICENSES.md):
//   sdk-dish-decision.dmn        camunda/camunda-8-js-sdk f8be514bc296 src/__tests__/8.8/resources/dish-decision.dmn (Apache-2.0)
//   sdk-quarantine-duration.dmn  camunda/camunda-8-js-sdk f8be514bc296 src/__tests__/testdata/quarantine-duration.dmn (Apache-2.0)
//   dmn-scala-holidays_output_order.dmn  camunda/dmn-scala 317b1ccb8fb3 src/test/resources/decisiontable/holidays_output_order.dmn (Apache-2.0, DMN 1.1)
//   dmn-scala-requirements-non-cyclic-nested-dependencies-in-decisions.dmn  camunda/dmn-scala 317b1ccb8fb3 src/test/resources/requirements/… (Apache-2.0)
//   dmn-scala-requirements-cyclic-dependencies-in-decisions.dmn  camunda/dmn-scala 317b1ccb8fb3 src/test/resources/requirements/… (Apache-2.0)

// DOCS: https://docs.camunda.io/docs/components/modeler (each test's ${DOCS}/… below is a page under it)
const fixture = (name: string) => readFileSync(resolve('test/fixtures/dmn', name), 'utf8');

/** A decision id unique per test that FEEL can also name (no dashes). */
const decisionId = (name: string) => processId(name).replace(/-/g, '_');

/** A DMN 1.3 file with the given decisions. */
const dmn = (id: string, decisions: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${id}" name="${id}" namespace="http://mustafid.test">${decisions}</definitions>`;

interface TableSpec {
  hitPolicy?: string;
  aggregation?: string;
  inputs: Array<[label: string, expression: string]>;
  outputs: Array<[name: string, priorities?: string]>;
  rules: Array<[entries: string[], outputs: string[]]>;
  requires?: string[];
}

/** A decision table decision; entries are written as in the file (`&lt;` for `<`). */
const table = (id: string, t: TableSpec) => `
  <decision id="${id}" name="${id} name">
    ${(t.requires ?? []).map((r) => `<informationRequirement id="${id}_req_${r}"><requiredDecision href="#${r}"/></informationRequirement>`).join('')}
    <decisionTable id="${id}_table" hitPolicy="${t.hitPolicy ?? 'UNIQUE'}"${t.aggregation ? ` aggregation="${t.aggregation}"` : ''}>
      ${t.inputs.map(([label, expression], n) => `<input id="${id}_in${n + 1}" label="${label}"><inputExpression id="${id}_inExpr${n + 1}"><text>${expression}</text></inputExpression></input>`).join('')}
      ${t.outputs.map(([name, priorities], n) => `<output id="${id}_out${n + 1}" name="${name}">${priorities ? `<outputValues id="${id}_values${n + 1}"><text>${priorities}</text></outputValues>` : ''}</output>`).join('')}
      ${t.rules
        .map(
          ([entries, outputs], r) =>
            `<rule id="${id}_r${r + 1}">${entries.map((e, n) => `<inputEntry id="${id}_r${r + 1}_i${n + 1}"><text>${e}</text></inputEntry>`).join('')}${outputs
              .map((o, n) => `<outputEntry id="${id}_r${r + 1}_o${n + 1}"><text>${o}</text></outputEntry>`)
              .join('')}</rule>`,
        )
        .join('')}
    </decisionTable>
  </decision>`;

/** A decision literal expression. */
const literal = (id: string, variable: string, expression: string, requires: string[] = []) => `
  <decision id="${id}" name="${id} name">
    <variable id="${id}_var" name="${variable}"/>
    ${requires.map((r) => `<informationRequirement id="${id}_req_${r}"><requiredDecision href="#${r}"/></informationRequirement>`).join('')}
    <literalExpression id="${id}_expr"><text>${expression}</text></literalExpression>
  </decision>`;

/** A business rule task `s1` calling a decision, its result in `resultVariable`. */
const ruleTask = (decision: string, resultVariable = 'result', ext = '') =>
  `<bpmn:businessRuleTask id="s1" name="decide"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decision}" resultVariable="${resultVariable}"/>${ext}</bpmn:extensionElements></bpmn:businessRuleTask>`;

const elementIntents = (events: EngineEvent[], elementId: string) => events.filter((e) => e.elementId === elementId).map((e) => e.intent);

describe('engine contract: business rule tasks calling DMN decisions', () => {
  const suite = useEngine();
  const engine = () => suite.t.engine;

  async function deployDmn(xml: string, resourceName = `${processId('decisions')}.dmn`) {
    return engine().deploy({ resourceName, xml });
  }

  /** Deploys start → business rule task s1 → end and starts it; returns the instance and its events. */
  async function decide(decision: string, variables: Record<string, unknown>, resultVariable = 'result', ext = '') {
    const id = processId('decide');
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [ruleTask(decision, resultVariable, ext)]) });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables });
    const view = await engine().getInstance(processInstanceKey);
    const events = await engine().getInstanceEvents(processInstanceKey);
    return { view, events, processInstanceKey, bpmnProcessId: id };
  }

  const evaluated = (events: EngineEvent[]) => events.find((e) => e.intent === 'DECISION_EVALUATED')?.payload;

  describe('deploying DMN files', () => {
    // ${DOCS}/dmn/decision-table/ : "Each decision should have an unique ID when it is deployed to Camunda."
    // Zeebe's DmnResourceTransformer: the DRG is versioned by its id, each decision by its decision id;
    // the same file again under the same name is no new version.
    it('stores the decision requirements graph and its decisions with versions, and the same file again is the same version', async () => {
      const xml = fixture('sdk-dish-decision.dmn');
      const first = await deployDmn(xml, 'dish-decision.dmn');
      expect(first.processes).toEqual([]);
      expect(first.decisionRequirements).toMatchObject([
        { decisionRequirementsId: 'Dish_Decision', name: 'Dish Decision', version: 1, resourceName: 'dish-decision.dmn', isNewVersion: true },
      ]);
      expect(first.decisions).toEqual([
        {
          key: expect.stringMatching(/^\d+$/),
          decisionId: 'dish-decision',
          name: 'Dish Decision',
          version: 1,
          decisionRequirementsId: 'Dish_Decision',
          decisionRequirementsKey: first.decisionRequirements[0].key,
          isNewVersion: true,
        },
      ]);
      const again = await deployDmn(xml, 'dish-decision.dmn');
      expect(again.decisionRequirements).toMatchObject([{ key: first.decisionRequirements[0].key, version: 1, isNewVersion: false }]);
      expect(again.decisions).toMatchObject([{ key: first.decisions[0].key, version: 1, isNewVersion: false }]);
      const changed = await deployDmn(xml.replace('"Roastbeef"', '"Roast beef"'), 'dish-decision.dmn');
      expect(changed.decisionRequirements).toMatchObject([{ decisionRequirementsId: 'Dish_Decision', version: 2, isNewVersion: true }]);
      expect(changed.decisions).toMatchObject([{ decisionId: 'dish-decision', version: 2, isNewVersion: true }]);
      // Restore the file's own content as version 3 for the tests below.
      expect((await deployDmn(xml, 'dish-decision.dmn')).decisions).toMatchObject([{ decisionId: 'dish-decision', version: 3 }]);
    });

    it('refuses a DMN whose FEEL does not parse, with duplicate ids or with cyclic requirements, listing the problems by element id; nothing is stored', async () => {
      const id = decisionId('bad');
      const xml = dmn(
        `${id}_drg`,
        table(id, { inputs: [['Amount', 'amount +']], outputs: [['out']], rules: [[['&lt; 1 0'], ['1']], [['-'], ['']]] }) + literal(`${id}_x`, 'x', '1') + literal(`${id}_x`, 'x', '2'),
      );
      await expect(deployDmn(xml)).rejects.toMatchObject({
        status: 400,
        code: 'INVALID_DMN',
        details: {
          problems: [
            { elementId: `${id}_x`, rule: 'xml', message: `The id '${id}_x' is used twice; ids must be unique within the file` },
            { elementId: `${id}_inExpr1`, rule: 'feel-syntax', message: "The input expression 'amount +' of input Amount is not valid FEEL: it does not parse at character 9" },
            {
              elementId: `${id}_r1_i1`,
              rule: 'feel-syntax',
              message: `The input entry '< 1 0' of rule ${id}_r1 (input Amount) is not valid FEEL unary tests: it does not parse at character 5`,
            },
            { elementId: `${id}_r2_o1`, rule: 'feel-syntax', message: `The output entry '' of rule ${id}_r2 (output out) is not valid FEEL: it is empty` },
          ],
        },
      });
      await expect(deployDmn(fixture('dmn-scala-requirements-cyclic-dependencies-in-decisions.dmn'))).rejects.toMatchObject({
        code: 'INVALID_DMN',
        details: { problems: [{ elementId: 'decsion1', rule: 'dmn-structure', message: 'Invalid DMN model: Cyclic dependencies between decisions detected.' }] },
      });
      // Nothing of the refused file was stored: the decision is not deployed.
      const { view } = await decide(id, { amount: 1 });
      expect(view.incidents).toMatchObject([{ errorType: 'CALLED_DECISION_ERROR' }]);
    });

    // ${DOCS}/bpmn/business-rule-tasks/ : "versionTag: The latest deployed version that is annotated with the version tag
    // specified in the versionTag attribute." Without the attribute Zeebe refuses the deployment (ZeebeCalledDecisionValidator).
    it('refuses a business rule task bound to a version tag it does not name, naming the element', async () => {
      const id = processId('bound');
      const bound = '<bpmn:businessRuleTask id="s1"><bpmn:extensionElements><zeebe:calledDecision decisionId="d" bindingType="versionTag" resultVariable="r"/></bpmn:extensionElements></bpmn:businessRuleTask>';
      const xml = chain(id, [bound]);
      await expect(engine().deploy({ resourceName: `${id}.bpmn`, xml })).rejects.toMatchObject({
        code: 'INVALID_BPMN',
        details: {
          problems: expect.arrayContaining([
            { elementId: 's1', rule: 'binding-type', message: "zeebe:calledDecision: Attribute 'versionTag' must be present and not empty if 'bindingType' is 'versionTag'" },
          ]),
        },
      });
    });
  });

  describe('evaluating a decision at a business rule task', () => {
    // ${DOCS}/bpmn/business-rule-tasks/ : "The result of the decision is stored in this variable." and
    // "By default, the variable defined by resultVariable is merged into the process instance."
    // ${DOCS}/dmn/decision-table-hit-policy/ (First): "The decision table result contains only the output of the first satisfied rule."
    it('evaluates a real decision table (FIRST) with every variable in scope and merges the result into the instance', async () => {
      const deployed = await deployDmn(fixture('sdk-dish-decision.dmn'), 'dish-decision.dmn');
      const winter = await decide('dish-decision', { season: 'Winter', guestCount: 6 }, 'dish');
      expect(winter.view.state).toBe('COMPLETED');
      expect(winter.view.variables).toEqual({ season: 'Winter', guestCount: 6, dish: 'Roastbeef' });
      expect(elementIntents(winter.events, 's1')).toEqual(['ELEMENT_ACTIVATED', 'DECISION_EVALUATED', 'VARIABLE_SET', 'ELEMENT_COMPLETED']);
      expect(evaluated(winter.events)).toEqual({
        decisionKey: deployed.decisions[0].key,
        decisionId: 'dish-decision',
        decisionName: 'Dish Decision',
        decisionVersion: deployed.decisions[0].version,
        decisionRequirementsKey: deployed.decisionRequirements[0].key,
        decisionRequirementsId: 'Dish_Decision',
        decisionOutput: 'Roastbeef',
        evaluatedDecisions: [
          {
            decisionId: 'dish-decision',
            decisionName: 'Dish Decision',
            decisionType: 'DECISION_TABLE',
            decisionOutput: 'Roastbeef',
            evaluatedInputs: [
              { inputId: 'Input_1', inputName: 'Season', inputValue: 'Winter' },
              { inputId: 'InputClause_0tymfo2', inputName: 'Guest Count', inputValue: 6 },
            ],
            matchedRules: [{ ruleId: 'DecisionRule_1gpfgn7', ruleIndex: 2, evaluatedOutputs: [{ outputId: 'Output_1', outputName: 'dish', outputValue: 'Roastbeef' }] }],
          },
        ],
      });
      // Summer with 10 guests satisfies rule 5 ("Summer", > 0), rule 6 (-, > 8) and rule 7 (-, -): the first wins.
      expect((await decide('dish-decision', { season: 'Summer', guestCount: 10 }, 'dish')).view.variables.dish).toBe('Light Salad and a nice Steak');
      // ${DOCS}/dmn/decision-table-rule/ : "In FEEL, an empty input entry is represented by a -." (an empty entry matches anything)
      expect((await decide('dish-decision', { season: 'Autumn', guestCount: 3 }, 'dish')).view.variables.dish).toBe('Pasta');
    });

    // ${DOCS}/dmn/decision-table-hit-policy/ : "If no hit policy is set, then the default hit policy UNIQUE is used."
    it('evaluates a real decision table without a hit policy as UNIQUE, ignoring its input data and Camunda 7 attributes', async () => {
      await deployDmn(fixture('sdk-quarantine-duration.dmn'), 'quarantine-duration.dmn');
      const young = await decide('Decision_Quarantine', { employment_category: 'critical infrastructure', age: 25 }, 'quarantine');
      expect(young.view.variables).toEqual({ employment_category: 'critical infrastructure', age: 25, quarantine: 'P5D' });
      const older = await decide('Decision_Quarantine', { employment_category: 'non-critical infrastructure', age: 45 }, 'quarantine');
      expect(older.view.variables.quarantine).toBe('P10D');
    });

    // dmn-scala reads DMN 1.1 to 1.5; DecisionTableHitPolicyTest: holidays (age 58, 31 years of service) = [22, 5, 3] under OUTPUT ORDER.
    it('evaluates a DMN 1.1 file (dmn-scala\'s OUTPUT ORDER holidays table)', async () => {
      await deployDmn(fixture('dmn-scala-holidays_output_order.dmn'), 'holidays.dmn');
      expect((await decide('holidays', { age: 58, yearsOfService: 31 }, 'holidays')).view.variables.holidays).toEqual([22, 5, 3]);
    });

    // ${DOCS}/bpmn/business-rule-tasks/ : "This behavior can be customized by defining an output mapping at the business rule task."
    // and "Input mappings can be used to transform the variables into a format accepted by the decision."
    it('applies input mappings before the evaluation and output mappings to the result, which then stays local', async () => {
      await deployDmn(fixture('sdk-dish-decision.dmn'), 'dish-decision.dmn');
      const io =
        '<zeebe:ioMapping><zeebe:input source="=order.season" target="season"/><zeebe:input source="=order.guests" target="guestCount"/><zeebe:output source="=&quot;Dish: &quot; + dish" target="menu"/></zeebe:ioMapping>';
      const { view } = await decide('dish-decision', { order: { season: 'Spring', guests: 6 } }, 'dish', io);
      expect(view.variables).toEqual({ order: { season: 'Spring', guests: 6 }, menu: 'Dish: Steak' });
    });

    // ${DOCS}/bpmn/business-rule-tasks/ : "it can also be defined as an expression (for example, = "shipping_box_size_" + countryCode)"
    it('takes the decision id from an expression', async () => {
      await deployDmn(fixture('sdk-dish-decision.dmn'), 'dish-decision.dmn');
      const { view } = await decide('=&quot;dish-&quot; + kind', { kind: 'decision', season: 'Fall', guestCount: 2 }, 'dish');
      expect(view.variables).toEqual({ kind: 'decision', season: 'Fall', guestCount: 2, dish: 'Spareribs' });
    });

    // ${DOCS}/bpmn/business-rule-tasks/ : "latest: The latest deployed version at the moment the business rule task is activated."
    it('evaluates the latest version of the decision', async () => {
      const id = decisionId('versioned');
      await deployDmn(dmn(`${id}_drg`, literal(id, id, '"first"')), `${id}.dmn`);
      expect((await decide(id, {})).view.variables.result).toBe('first');
      await deployDmn(dmn(`${id}_drg`, literal(id, id, '"second"')), `${id}.dmn`);
      const { view, events } = await decide(id, {});
      expect(view.variables.result).toBe('second');
      expect(evaluated(events)).toMatchObject({ decisionId: id, decisionVersion: 2 });
    });
  });

  describe('hit policies and result shapes', () => {
    // One input `n` and one output; for n = 6 every rule matches: 10, 20, 30, 20.
    const rules: TableSpec['rules'] = [
      [['&gt;= 1'], ['10']],
      [['&gt;= 5'], ['20']],
      [['-'], ['30']],
      [['5, 6, 7'], ['20']],
    ];
    const byHitPolicy = async (hitPolicy: string, n: number, aggregation?: string) => {
      const id = decisionId('policy');
      await deployDmn(dmn(`${id}_drg`, table(id, { hitPolicy, aggregation, inputs: [['N', 'n']], outputs: [['points', '30, 20, 10']], rules })));
      const { view } = await decide(id, { n });
      expect(view.state).toBe('COMPLETED');
      return view.variables.result;
    };

    // ${DOCS}/dmn/decision-table-hit-policy/ — each case quotes the page; PRIORITY and OUTPUT ORDER are
    // dmn-scala's (DecisionTableEvaluator: ordered by the output values, here "30, 20, 10").
    it.each<[string, number, string | undefined, unknown, string]>([
      ['UNIQUE', 0, undefined, 30, 'Only a single rule can be satisfied or no rule at all. The decision table result contains the output entries of the satisfied rule.'],
      ['FIRST', 6, undefined, 10, 'The decision table result contains only the output of the first satisfied rule.'],
      ['PRIORITY', 6, undefined, 30, 'dmn-scala: the satisfied rule whose output comes first in the output values'],
      ['RULE ORDER', 6, undefined, [10, 20, 30, 20], 'The decision table result contains the output of all satisfied rules in the order of the rules in the decision table.'],
      ['OUTPUT ORDER', 6, undefined, [30, 20, 20, 10], 'dmn-scala: every satisfied rule, ordered by the output values'],
      ['COLLECT', 6, undefined, [10, 20, 30, 20], 'The decision table result contains the output of all satisfied rules in an arbitrary order as a list.'],
      ['COLLECT', 6, 'SUM', 80, 'the sum of all output values'],
      ['COLLECT', 6, 'MIN', 10, 'the smallest value of all output values'],
      ['COLLECT', 6, 'MAX', 30, 'the largest value of all output values'],
      ['COLLECT', 6, 'COUNT', 4, 'the number of output values'],
      ['RULE ORDER', 2, undefined, [10, 30], 'only the satisfied rules'],
    ])('%s (n = %s, %s) gives %j: "%s"', async (hitPolicy, n, aggregation, expected) => {
      expect(await byHitPolicy(hitPolicy, n, aggregation)).toEqual(expected);
    });

    // "Multiple rules can be satisfied. However, all satisfied rules must generate the same output."
    it('ANY gives the one output several satisfied rules share', async () => {
      const id = decisionId('any');
      await deployDmn(
        dmn(`${id}_drg`, table(id, { hitPolicy: 'ANY', inputs: [['N', 'n']], outputs: [['verdict']], rules: [[['&gt;= 5'], ['"yes"']], [['[5..7]'], ['"yes"']], [['&lt; 5'], ['"no"']]] })),
      );
      expect((await decide(id, { n: 6 })).view.variables.result).toBe('yes');
    });

    // ${DOCS}/dmn/decision-table-output/ : "Only if the decision table has more than one output then the output values are grouped"
    it('several outputs give a context (a list of contexts for several rules); no satisfied rule gives null', async () => {
      const id = decisionId('tier');
      const spec: TableSpec = {
        hitPolicy: 'RULE ORDER',
        inputs: [['Points', 'points'], ['Member', 'member']],
        outputs: [['level'], ['fee']],
        rules: [
          [['&gt;= 100', 'true'], ['"gold"', '0']],
          [['&gt;= 50', '-'], ['"silver"', 'points / 10']],
        ],
      };
      await deployDmn(dmn(`${id}_drg`, table(id, spec) + table(`${id}_one`, { ...spec, hitPolicy: 'FIRST' })));
      expect((await decide(id, { points: 120, member: true })).view.variables.result).toEqual([
        { level: 'gold', fee: 0 },
        { level: 'silver', fee: 12 },
      ]);
      expect((await decide(`${id}_one`, { points: 60, member: false })).view.variables.result).toEqual({ level: 'silver', fee: 6 });
      expect((await decide(`${id}_one`, { points: 10, member: false })).view.variables).toEqual({ points: 10, member: false, result: null });
    });

    // ${DOCS}/dmn/decision-requirements-graph/ : "The result of a required decision can be accessed in the dependent decision by its decision ID."
    // ${DOCS}/dmn/decision-literal-expression/ : "the result of a decision literal expression can be accessed in a dependent decision by its variable name"
    it('evaluates required decisions first, table results by decision id and literal results by variable name', async () => {
      const base = decisionId('base');
      const fee = `${base}_fee`;
      const price = `${base}_price`;
      await deployDmn(
        dmn(
          `${base}_drg`,
          table(base, { inputs: [['Customer', 'customer']], outputs: [['rate'], ['label']], rules: [[['"Business"'], ['0.1', '"B2B"']], [['"Private"'], ['0.05', '"B2C"']]] }) +
            literal(fee, 'handling', '5') +
            literal(price, 'price', `amount * (1 - ${base}.rate) + handling`, [base, fee]),
        ),
      );
      const { view, events } = await decide(price, { customer: 'Business', amount: 200 });
      expect(view.variables.result).toBe(185);
      expect((evaluated(events)?.evaluatedDecisions as Array<{ decisionId: string; decisionOutput: unknown }>).map((d) => [d.decisionId, d.decisionOutput])).toEqual([
        [base, { rate: 0.1, label: 'B2B' }],
        [fee, 5],
        [price, 185],
      ]);
      // dmn-scala's own nested requirements (C requires A and B, B requires A): C = [a, b].
      await deployDmn(fixture('dmn-scala-requirements-non-cyclic-nested-dependencies-in-decisions.dmn'), 'nested.dmn');
      expect((await decide('C', {})).view.variables.result).toEqual([1, 2]);
    });
  });

  describe('incidents', () => {
    const openIncident = (view: ProcessInstanceView) => view.incidents.filter((i) => i.state === 'ACTIVE');

    // ${DOCS}/bpmn/business-rule-tasks/ : "If the decision evaluation is unsuccessful, an incident is raised at the business rule task.
    // When the incident is resolved, the decision is evaluated again." Zeebe (BpmnDecisionBehavior): a decision that is not
    // deployed is a CALLED_DECISION_ERROR.
    it('a decision that is not deployed is a CALLED_DECISION_ERROR; deploying it and resolving the incident goes on', async () => {
      const id = decisionId('later');
      const { view, processInstanceKey } = await decide(id, { n: 2 });
      expect(view.state).toBe('ACTIVE');
      const [incident] = openIncident(view);
      expect(incident).toMatchObject({
        elementId: 's1',
        errorType: 'CALLED_DECISION_ERROR',
        errorMessage: `Expected to evaluate decision '${id}', but no decision found for id '${id}'`,
      });
      await deployDmn(dmn(`${id}_drg`, literal(id, id, 'n * 2')));
      await engine().resolveIncident(incident.key);
      const done = await engine().getInstance(processInstanceKey);
      expect(done.state).toBe('COMPLETED');
      expect(done.variables).toEqual({ n: 2, result: 4 });
    });

    // ${DOCS}/dmn/decision-table-hit-policy/ : "If more than one rule is satisfied, the Unique hit policy is violated. The decision table is
    // considered invalid, evaluation fails, and — in the context of a process instance — an incident is raised."
    it('a UNIQUE table with several satisfied rules is a DECISION_EVALUATION_ERROR; fixing the variables and resolving goes on', async () => {
      const id = decisionId('unique');
      await deployDmn(dmn(`${id}_drg`, table(id, { inputs: [['N', 'n']], outputs: [['size']], rules: [[['&lt; 10'], ['"small"']], [['&gt; 5'], ['"large"']]] })));
      const { view, processInstanceKey } = await decide(id, { n: 7 });
      const [incident] = openIncident(view);
      expect(incident).toMatchObject({
        elementId: 's1',
        errorType: 'DECISION_EVALUATION_ERROR',
        errorMessage: `Expected to evaluate decision '${id}', but multiple values aren't allowed for UNIQUE hit policy. found: '[{"size":"small"},{"size":"large"}]'`,
      });
      await engine().setVariables(processInstanceKey, { n: 12 });
      await engine().resolveIncident(incident.key);
      const done = await engine().getInstance(processInstanceKey);
      expect(done.state).toBe('COMPLETED');
      expect(done.variables).toEqual({ n: 12, result: 'large' });
    });

    // The same page's incident rule; an input expression fails where feel-scala fails (a failed assert()).
    it('an input expression that fails is a DECISION_EVALUATION_ERROR naming the decision and the cause', async () => {
      const id = decisionId('assert');
      await deployDmn(dmn(`${id}_drg`, table(id, { hitPolicy: 'FIRST', inputs: [['Amount', 'assert(amount, amount != null, &quot;amount is required&quot;)']], outputs: [['ok']], rules: [[['-'], ['true']]] })));
      const { view, processInstanceKey } = await decide(id, {});
      const [incident] = openIncident(view);
      expect(incident).toMatchObject({
        elementId: 's1',
        errorType: 'DECISION_EVALUATION_ERROR',
        errorMessage: `Expected to evaluate decision '${id}', but Assertion failure on evaluate the expression 'assert(amount, amount != null, "amount is required")': amount is required`,
      });
      await engine().setVariables(processInstanceKey, { amount: 10 });
      await engine().resolveIncident(incident.key);
      expect((await engine().getInstance(processInstanceKey)).variables).toEqual({ amount: 10, result: true });
    });
  });
});
