const { is } = require('bpmnlint-utils');
const { extensions, describe } = require('./helpers');

/** The timer whose duration is the policy's minimum response period (S5). */
function isMinimumTimer(node) {
  if (!is(node, 'bpmn:IntermediateCatchEvent')) return false;
  return (node.eventDefinitions || []).some((definition) => {
    const duration = is(definition, 'bpmn:TimerEventDefinition') && definition.timeDuration;
    return Boolean(duration && typeof duration.body === 'string' && duration.body.includes('minimumResponsePeriod'));
  });
}

/** A task that sends the committee's decision to the applicant (notify-applicant, notice=decision). */
function communicatesDecision(node) {
  const definition = extensions(node, 'zeebe:TaskDefinition')[0];
  if (!definition || definition.type !== 'notify-applicant') return false;
  return extensions(node, 'zeebe:TaskHeaders').some((headers) =>
    (headers.values || []).some((header) => header.key === 'notice' && header.value === 'decision'),
  );
}

function allFlowElements(container, into = []) {
  for (const element of container.flowElements || []) {
    into.push(element);
    if (is(element, 'bpmn:SubProcess')) allFlowElements(element, into);
  }
  return into;
}

/**
 * Which elements a token can reach if the minimum-response timers never fire. A parallel join
 * waits for all its incoming flows; a boundary event can fire once its activity is entered; an
 * embedded subprocess passes its token on once one of its end events is reached and no token
 * inside it waits at a minimum-response timer (it completes only when all its tokens are done),
 * unless a terminate end event ends it at once.
 */
function reachableWithoutTimers(process) {
  const elements = allFlowElements(process);
  const reached = new Set();
  const entered = (flow) => flow.sourceRef && reached.has(flow.sourceRef);
  const waitsAtTimer = (sub) => allFlowElements(sub).some((e) => isMinimumTimer(e) && (e.incoming || []).some(fires));
  const subprocessDone = (sub) => {
    const ends = (sub.flowElements || []).filter((e) => is(e, 'bpmn:EndEvent') && reached.has(e));
    const terminates = ends.some((e) => (e.eventDefinitions || []).some((d) => is(d, 'bpmn:TerminateEventDefinition')));
    return terminates || (ends.length > 0 && !waitsAtTimer(sub));
  };
  function fires(flow) {
    const source = flow.sourceRef;
    if (!source) return false;
    return is(source, 'bpmn:SubProcess') ? reached.has(source) && subprocessDone(source) : entered(flow);
  }
  for (const element of process.flowElements || []) {
    if (is(element, 'bpmn:StartEvent')) reached.add(element);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const element of elements) {
      if (reached.has(element) || is(element, 'bpmn:SequenceFlow') || isMinimumTimer(element)) continue;
      let enters = false;
      if (is(element, 'bpmn:StartEvent')) {
        const parent = element.$parent;
        enters = is(parent, 'bpmn:SubProcess') && !parent.triggeredByEvent && reached.has(parent);
      } else if (is(element, 'bpmn:BoundaryEvent')) {
        enters = reached.has(element.attachedToRef);
      } else {
        const incoming = element.incoming || [];
        enters =
          is(element, 'bpmn:ParallelGateway') && incoming.length > 1 ? incoming.every(fires) : incoming.some(fires);
      }
      if (enters) {
        reached.add(element);
        changed = true;
      }
    }
  }
  return { elements, reached };
}

/**
 * Policy S5: the committee's answer goes out no sooner than the minimum response period.
 * In the listed processes there must be a timer on `minimumResponsePeriod`, and no path may
 * reach a task that communicates the decision without passing it.
 * Config: { processIds: string[] }.
 */
module.exports = function (config) {
  const processIds = new Set((config && config.processIds) || []);

  function check(node, reporter) {
    if (!is(node, 'bpmn:Process') || !processIds.has(node.id)) return;
    const { elements, reached } = reachableWithoutTimers(node);
    if (!elements.some(isMinimumTimer)) {
      reporter.report(
        node.id,
        'The process has no minimum-response timer (a timer on "=minimumResponsePeriod") before the decision is communicated (policy S5)',
      );
      return;
    }
    for (const element of elements.filter(communicatesDecision)) {
      if (reached.has(element)) {
        reporter.report(element.id, `${describe(element)} can communicate the decision before the minimum response period has passed (policy S5)`);
      }
    }
  }

  return { check };
};
