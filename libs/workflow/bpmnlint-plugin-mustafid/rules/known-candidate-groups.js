const { is } = require('bpmnlint-utils');
const { extensions, isExpression, describe } = require('./helpers');

/**
 * Every user task's candidate groups are roles Mustafid knows, so the task reaches
 * someone's list. Config: { roles: string[] }. A FEEL expression is judged at run time.
 */
module.exports = function (config) {
  const roles = new Set((config && config.roles) || []);

  function check(node, reporter) {
    if (!is(node, 'bpmn:UserTask')) return;
    const assignment = extensions(node, 'zeebe:AssignmentDefinition')[0];
    const groups = assignment && assignment.candidateGroups;
    if (!assignment || (!groups && !assignment.assignee && !assignment.candidateUsers)) {
      reporter.report(node.id, `User task ${describe(node)} has no candidate groups: no one's task list would show it`);
      return;
    }
    if (!groups || isExpression(groups)) return;
    for (const group of groups.split(',').map((g) => g.trim()).filter(Boolean)) {
      if (!roles.has(group)) {
        reporter.report(node.id, `Candidate group "${group}" of ${describe(node)} is not a known role (${[...roles].join(', ')})`);
      }
    }
  }

  return { check };
};
