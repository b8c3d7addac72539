import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { camundaFunctions } from '../feel/camunda-functions';
import type { DecisionRequirementsGraph } from './decision-model';
import { evaluateDecision } from './evaluate-decision';
import { checkDmn, validateDmn } from './parse-dmn';

/**
 * The evaluator against dmn-scala's own test suite: the fixtures are dmn-scala's test files,
 * copied unchanged (test/fixtures/dmn/LICENSES.md, sources.json: camunda/dmn-scala
 * 317b1ccb8fb3, Apache-2.0), and each expected value is the one dmn-scala's test asserts
 * (src/test/scala/org/camunda/dmn/DecisionTableHitPolicyTest.scala, DecisionTableTest.scala,
 * LiteralExpressionTest.scala, RequiredDecisionTest.scala, DmnParserTest.scala,
 * DmnVersionCompatibilityTest.scala). Zeebe evaluates decisions with dmn-scala, so its results
 * are Camunda 8's. Hand-written tables cover what those files do not.
 */
// DOCS: https://docs.camunda.io/docs/components/modeler/dmn/decision-table-hit-policy/

const clock = { now: () => new Date('2026-12-04T10:00:00Z') };
const functions = camundaFunctions(clock);
const fixture = (name: string) => readFileSync(resolve('test/fixtures/dmn', name), 'utf8');
const graphs = new Map<string, Promise<DecisionRequirementsGraph>>();
const graph = (name: string) => {
  if (!graphs.has(name)) graphs.set(name, validateDmn(fixture(name)));
  return graphs.get(name)!;
};
const result = async (name: string, decisionId: string, variables: Record<string, unknown>) => {
  const r = evaluateDecision(await graph(name), decisionId, variables, functions);
  if (!r.ok) throw new Error(r.failure);
  return r.output;
};
const failure = async (name: string, decisionId: string, variables: Record<string, unknown>) => {
  const r = evaluateDecision(await graph(name), decisionId, variables, functions);
  return r.ok ? undefined : r.failure;
};

it('each fixture is the file its source holds (test/fixtures/dmn/sources.json)', () => {
  const sources = JSON.parse(fixture('sources.json')) as Array<{ file: string; repository: string; path: string; commit: string; sha256: string }>;
  for (const s of sources) {
    const sha = createHash('sha256').update(readFileSync(resolve('test/fixtures/dmn', s.file))).digest('hex');
    expect(sha, `${s.file} differs from ${s.repository}@${s.commit}:${s.path}`).toBe(s.sha256);
  }
});

describe('hit policies on dmn-scala test files', () => {
  // "Only a single rule can be satisfied or no rule at all. The decision table result contains the output entries of the satisfied rule."
  it('UNIQUE: the value of the one matching rule; null when none matches', async () => {
    expect(await result('dmn-scala-discount.dmn', 'discount', { customer: 'Business', orderSize: 7 })).toBe(0.1);
    expect(await result('dmn-scala-discount.dmn', 'discount', { customer: 'Business', orderSize: 15 })).toBe(0.15);
    expect(await result('dmn-scala-discount.dmn', 'discount', { customer: 'Private', orderSize: 9 })).toBe(0.05);
    expect(await result('dmn-scala-discount.dmn', 'discount', { customer: 'Something else', orderSize: 9 })).toBeNull();
    expect(await result('dmn-scala-applicantRiskRating.dmn', 'applicantRiskRating', { applicantAge: 65, medicalHistory: 'bad' })).toBe('High');
    expect(await result('dmn-scala-applicantRiskRating.dmn', 'applicantRiskRating', { applicantAge: 22, medicalHistory: 'good' })).toBe('Low');
    expect(await result('dmn-scala-applicantRiskRating.dmn', 'applicantRiskRating', { applicantAge: 40, medicalHistory: 'bad' })).toBe('Medium');
  });

  // "If more than one rule is satisfied, the Unique hit policy is violated. The decision table is considered invalid, evaluation fails"
  it('UNIQUE: two matching rules fail the evaluation, naming the decision and the values', async () => {
    // discount.dmn: "Business" with < 10 and with >= 9 both match 9.
    expect(await failure('dmn-scala-discount.dmn', 'discount', { customer: 'Business', orderSize: 9 })).toBe(
      `Expected to evaluate decision 'discount', but multiple values aren't allowed for UNIQUE hit policy. found: '[{"discount":0.1},{"discount":0.15}]'`,
    );
  });

  // "Multiple rules can be satisfied. However, all satisfied rules must generate the same output."
  it('ANY: equal outputs of several rules give that output', async () => {
    const ctx = { creditRating: 'B', creditBalance: 10000, loanBalance: 50000 };
    expect(await result('dmn-scala-personLoanCompliance.dmn', 'personLoanCompliance', ctx)).toBe('Not Compliant');
    expect(await result('dmn-scala-personLoanCompliance.dmn', 'personLoanCompliance', { creditRating: 'A', creditBalance: 5000, loanBalance: 10000 })).toBe('Compliant');
  });

  // "The decision table result contains only the output of the first satisfied rule."
  it('FIRST: the first matching rule', async () => {
    const ctx = (typeOfCustomer: string, customerLocation: string) => ({ typeOfOrder: 'Web', customerLocation, typeOfCustomer });
    expect(await result('dmn-scala-specialDiscount.dmn', 'specialDiscount', ctx('Retailer', 'Non-US'))).toBe(0);
    expect(await result('dmn-scala-specialDiscount.dmn', 'specialDiscount', ctx('Retailer', 'US'))).toBe(5);
    expect(await result('dmn-scala-specialDiscount.dmn', 'specialDiscount', ctx('Wholesaler', 'US'))).toBe(10);
  });

  // dmn-scala DecisionTableEvaluator (PRIORITY: the matching rule whose output comes first in the output values)
  it('PRIORITY: the output first in the output values', async () => {
    const risk = (applicantAge: number, medicalHistory: string) => result('dmn-scala-applicantRiskRating_priority.dmn', 'applicantRiskRating', { applicantAge, medicalHistory });
    expect(await risk(65, 'bad')).toBe('High');
    expect(await risk(55, 'bad')).toBe('Medium');
    expect(await risk(30, 'good')).toBe('Medium');
    expect(await risk(20, 'bad')).toBe('Medium');
    expect(await risk(20, 'good')).toBe('Low');
  });

  // "The decision table result contains the output of all satisfied rules in the order of the rules in the decision table."
  it('RULE ORDER: every matching rule, in rule order', async () => {
    const eligibility = (gpa: number, socialMembership: string) => result('dmn-scala-studentFinancialPackageEligibility.dmn', 'eligibility', { gpa, acitvitiesCount: 4, socialMembership });
    expect(await eligibility(3.6, 'Yes')).toEqual(['20% Scholarship', '30% Loan']);
    expect(await eligibility(3.6, 'No')).toEqual(['20% Work-On-Campus']);
    expect(await eligibility(3.0, 'Yes')).toEqual(['5% Work-On-Campus']);
  });

  // dmn-scala DecisionTableEvaluator (OUTPUT ORDER: every matching rule, ordered by the output values)
  it('OUTPUT ORDER: every matching rule, ordered by the output values; several outputs give a list of contexts', async () => {
    const holidays = (age: number, yearsOfService: number) => result('dmn-scala-holidays_output_order.dmn', 'holidays', { age, yearsOfService });
    expect(await holidays(58, 31)).toEqual([22, 5, 3]);
    expect(await holidays(25, 2)).toEqual([22]);
    expect(await holidays(16, 1)).toEqual([22, 5]);
    expect(await holidays(46, 19)).toEqual([22, 2, 2]);
    expect(await holidays(40, 19)).toEqual([22, 2]);
    expect(await result('dmn-scala-routingRules.dmn', 'routingRules', { age: 17, riskCategory: 'HIGH', deptReview: true })).toEqual([
      { routing: 'DECLINE', reviewLevel: 'NONE', reason: 'Applicant too young' },
      { routing: 'REFER', reviewLevel: 'LEVEL 2', reason: 'Applicant under dept review' },
      { routing: 'REFER', reviewLevel: 'LEVEL 1', reason: 'High risk application' },
      { routing: 'ACCEPT', reviewLevel: 'NONE', reason: 'Acceptable' },
    ]);
    expect(await result('dmn-scala-routingRules.dmn', 'routingRules', { age: 25, riskCategory: 'MEDIUM', deptReview: false })).toEqual([
      { routing: 'ACCEPT', reviewLevel: 'NONE', reason: 'Acceptable' },
    ]);
  });

  // "The decision table result contains the output of all satisfied rules in an arbitrary order as a list."
  it('COLLECT without an aggregator: a list of every matching output', async () => {
    expect(await result('dmn-scala-holidays_collect.dmn', 'holidays', { age: 58, yearsOfService: 31 })).toEqual([22, 3, 5]);
    expect(await result('dmn-scala-holidays_collect.dmn', 'holidays', { age: 25, yearsOfService: 2 })).toEqual([22]);
  });

  // "SUM: the sum of all output values", "MIN: the smallest value", "MAX: the largest value"
  it('COLLECT with SUM, MIN and MAX', async () => {
    const sum = (age: number, yearsOfService: number) => result('dmn-scala-holidays_collect_sum.dmn', 'holidays', { age, yearsOfService });
    expect([await sum(58, 31), await sum(25, 2), await sum(16, 1), await sum(46, 19)]).toEqual([30, 22, 27, 24]);
    const fee = (years: number) => result('dmn-scala-insuranceFee.dmn', 'insuranceFee', { years });
    expect([await fee(1), await fee(4), await fee(16)]).toEqual([200, 190, 100]);
    const max = (customer: string, orderSize: number) => result('dmn-scala-discount_collect_max.dmn', 'discount', { customer, orderSize });
    expect([await max('Business', 8), await max('Business', 12), await max('Private', 17), await max('Private', 13)]).toEqual([0.1, 0.15, 0.06, 0.05]);
  });
});

describe('results and requirements on dmn-scala test files', () => {
  it('several outputs give a context; no match gives null, or the default outputs', async () => {
    expect(await result('dmn-scala-adjustments.dmn', 'adjustments', { customer: 'Business', orderSize: 7 })).toEqual({ discount: 0.1, shipping: 'Air' });
    expect(await result('dmn-scala-adjustments.dmn', 'adjustments', { customer: 'Something else', orderSize: 9 })).toBeNull();
    expect(await result('dmn-scala-discount_default-output.dmn', 'discount', { customer: 'Something else', orderSize: 9 })).toBe(0.05);
  });

  // Decision requirements graph: "The result of a required decision can be accessed in the dependent decision by its decision ID."
  it('evaluates required decisions first, their results by variable name, and reports each evaluated decision', async () => {
    const r = evaluateDecision(await graph('dmn-scala-requirements-non-cyclic-nested-dependencies-in-decisions.dmn'), 'C', {}, functions);
    expect(r).toEqual({
      ok: true,
      output: [1, 2],
      evaluatedDecisions: [
        { decisionId: 'A', decisionName: 'A', decisionType: 'LITERAL_EXPRESSION', decisionOutput: 1, evaluatedInputs: [], matchedRules: [] },
        { decisionId: 'A', decisionName: 'A', decisionType: 'LITERAL_EXPRESSION', decisionOutput: 1, evaluatedInputs: [], matchedRules: [] },
        { decisionId: 'B', decisionName: 'B', decisionType: 'LITERAL_EXPRESSION', decisionOutput: 2, evaluatedInputs: [], matchedRules: [] },
        { decisionId: 'C', decisionName: 'C', decisionType: 'LITERAL_EXPRESSION', decisionOutput: [1, 2], evaluatedInputs: [], matchedRules: [] },
      ],
    });
  });

  // Decision literal expression: "After the expression is evaluated it checks if the result converts to the specified type."
  it('evaluates a literal expression, in DMN 1.3 and 1.5, and fails a result of another type than the variable says', async () => {
    expect(await result('dmn-scala-dmn1.3-greeting.dmn', 'greeting', { name: 'DMN' })).toBe('Hello DMN');
    expect(await result('dmn-scala-dmn1.5-greeting.dmn', 'greeting', { name: 'DMN' })).toBe('Hello DMN');
    expect(await failure('dmn-scala-literalexpression-type-mismatch.dmn', 'greeting', { name: 'Frank' })).toBe(
      `Expected to evaluate decision 'greeting', but expected 'number' but found '"Hello Frank"'`,
    );
  });

  it('reports the inputs and the matched rules of a table, as Zeebe records them', async () => {
    const r = evaluateDecision(await graph('dmn-scala-discount.dmn'), 'discount', { customer: 'Private', orderSize: 9 }, functions);
    expect(r).toEqual({
      ok: true,
      output: 0.05,
      evaluatedDecisions: [
        {
          decisionId: 'discount',
          decisionName: 'Discount',
          decisionType: 'DECISION_TABLE',
          decisionOutput: 0.05,
          evaluatedInputs: [
            { inputId: 'input1', inputName: 'Customer', inputValue: 'Private' },
            { inputId: 'InputClause_0948jsx', inputName: 'Order Size', inputValue: 9 },
          ],
          matchedRules: [{ ruleId: 'row-958866071-3', ruleIndex: 3, evaluatedOutputs: [{ outputId: 'output1', outputName: 'discount', outputValue: 0.05 }] }],
        },
      ],
    });
  });
});

describe('deploy-time checks', () => {
  const problems = async (name: string) => (await checkDmn(fixture(name))).problems;

  it('refuses what dmn-scala refuses, by element id', async () => {
    expect(await problems('dmn-scala-requirements-cyclic-dependencies-in-decisions.dmn')).toEqual([
      { elementId: 'decsion1', rule: 'dmn-structure', message: 'Invalid DMN model: Cyclic dependencies between decisions detected.' },
    ]);
    expect(await problems('dmn-scala-adjustments_empty_output_name.dmn')).toEqual([{ elementId: 'output1', rule: 'dmn-structure', message: 'no output name defined for `Discount`' }]);
    expect(await problems('dmn-scala-requirements-discount.dmn')).toEqual([
      { elementId: 'price', rule: 'dmn-supported', message: 'A decision with a boxed context is not supported by the embedded engine; use a decision table or a literal expression' },
    ]);
  });

  it('refuses FEEL that does not parse, an empty output entry and a duplicate id, naming each element', async () => {
    const xml = table(
      'UNIQUE',
      `<rule id="r1"><inputEntry id="r1i"><text>&lt; 1 0</text></inputEntry><outputEntry id="r1o"><text></text></outputEntry></rule>
       <rule id="r2"><inputEntry id="r2i"><text>"a"</text></inputEntry><outputEntry id="r2o"><text>1 +</text></outputEntry></rule>
       <rule id="r2"><inputEntry id="r3i"><text>"b"</text></inputEntry><outputEntry id="r3o"><text>3</text></outputEntry></rule>`,
    );
    expect(await checkDmn(xml).then((c) => c.problems)).toEqual([
      { elementId: 'r2', rule: 'xml', message: "The id 'r2' is used twice; ids must be unique within the file" },
      { elementId: 'r1i', rule: 'feel-syntax', message: "The input entry '< 1 0' of rule r1 (input Amount) is not valid FEEL unary tests: it does not parse at character 5" },
      { elementId: 'r1o', rule: 'feel-syntax', message: "The output entry '' of rule r1 (output result) is not valid FEEL: it is empty" },
      { elementId: 'r2o', rule: 'feel-syntax', message: "The output entry '1 +' of rule r2 (output result) is not valid FEEL: it does not parse at character 4" },
    ]);
    await expect(validateDmn(xml)).rejects.toMatchObject({ code: 'INVALID_DMN', status: 400 });
  });

  it.each([
    ['broken XML', '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"', /not valid DMN XML/],
    ['XML that is not DMN', '<?xml version="1.0"?><note><to>x</to></note>', /not a DMN model|not valid DMN XML/],
    ['a DOCTYPE (XXE)', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><definitions/>', /DOCTYPE or entities; DMN files never need them/],
    ['an empty file', '  ', /The DMN file is empty/],
  ])('refuses %s with a clear message', async (_, xml, message) => {
    await expect(checkDmn(xml)).rejects.toMatchObject({ code: 'INVALID_DMN', message: expect.stringMatching(message) });
  });
});

/** A one-input, one-output table `d` (input `amount`, output `result`) with the hit policy and rules given. */
function table(hitPolicy: string, rules: string, aggregation = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="drg" name="DRG" namespace="http://mustafid.test">
  <decision id="d" name="D">
    <decisionTable id="t" hitPolicy="${hitPolicy}" ${aggregation ? `aggregation="${aggregation}"` : ''}>
      <input id="in" label="Amount"><inputExpression id="inExpr" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="out" name="result" typeRef="number"/>
      ${rules}
    </decisionTable>
  </decision>
</definitions>`;
}

describe('hand-written tables', () => {
  const run = async (xml: string, variables: Record<string, unknown>) => evaluateDecision(await validateDmn(xml), 'd', variables, functions);
  const rule = (id: string, test: string, output: string) => `<rule id="${id}"><inputEntry id="${id}i"><text>${test}</text></inputEntry><outputEntry id="${id}o"><text>${output}</text></outputEntry></rule>`;
  const rules = [rule('r1', '&gt; 10', '1'), rule('r2', '&gt; 20', '2'), rule('r3', '-', '4'), rule('r4', '5, 15, 25', '8')].join('');

  // Hit policy, Collect (Count): "the number of output values"
  it('COLLECT COUNT counts the matching rules; `-` matches anything and a comma list matches any of its tests', async () => {
    expect(await run(table('COLLECT', rules, 'COUNT'), { amount: 25 })).toMatchObject({ ok: true, output: 4 });
    expect(await run(table('COLLECT', rules, 'COUNT'), { amount: 12 })).toMatchObject({ ok: true, output: 2 });
    expect(await run(table('COLLECT', rules, 'SUM'), { amount: 25 })).toMatchObject({ ok: true, output: 15 });
    expect(await run(table('COLLECT', rules), { amount: 15 })).toMatchObject({ ok: true, output: [1, 4, 8] });
    expect(await run(table('RULE ORDER', rules), { amount: 5 })).toMatchObject({ ok: true, output: [4, 8] });
  });

  it('ANY with different outputs fails, as the hit policy is violated', async () => {
    expect(await run(table('ANY', rules), { amount: 25 })).toMatchObject({
      ok: false,
      failure: `Expected to evaluate decision 'd', but different values aren't allowed for ANY hit policy. found: '[{"result":1},{"result":2},{"result":4},{"result":8}]'`,
    });
  });

  it('an input expression that fails (a failed assert) fails the evaluation with FEEL\'s words', async () => {
    const xml = table('FIRST', rule('r1', '-', '1')).replace('<text>amount</text>', '<text>assert(amount, amount != null)</text>');
    expect(await run(xml, {})).toMatchObject({
      ok: false,
      failedDecisionId: 'd',
      failure: "Expected to evaluate decision 'd', but Assertion failure on evaluate the expression 'assert(amount, amount != null)': The condition is not fulfilled",
    });
    expect(await run(xml, { amount: 3 })).toMatchObject({ ok: true, output: 1 });
  });

  it('COLLECT SUM over an output that is not a number fails', async () => {
    expect(await run(table('COLLECT', rule('r1', '-', '"x"'), 'SUM'), { amount: 1 })).toMatchObject({
      ok: false,
      failure: `Expected to evaluate decision 'd', but expected number but found '"x"'`,
    });
  });
});
