const { isAny } = require('bpmnlint-utils');
const { extensions, isExpression, describe } = require('./helpers');

/**
 * Every service-like task names a job type that a registered worker handles; otherwise its
 * jobs would wait forever. Config: { jobTypes: string[] }.
 */
module.exports = function (config) {
  const jobTypes = new Set((config && config.jobTypes) || []);

  function check(node, reporter) {
    if (!isAny(node, ['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask', 'bpmn:ScriptTask'])) return;
    const definition = extensions(node, 'zeebe:TaskDefinition')[0];
    const type = definition && typeof definition.type === 'string' ? definition.type.trim() : '';
    if (!type) {
      reporter.report(node.id, `${describe(node)} has no job type, so no worker would ever do it`);
      return;
    }
    if (isExpression(type) || jobTypes.has(type)) return;
    reporter.report(node.id, `No worker is registered for job type "${type}" of ${describe(node)} (known: ${[...jobTypes].join(', ')})`);
  }

  return { check };
};
