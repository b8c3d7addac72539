/**
 * Mustafid's own bpmnlint rules. They take their facts as rule configuration, so the server
 * (which knows the roles and the registered workers) and the browser lint with the same values:
 *   'mustafid/known-candidate-groups': ['error', { roles: [...] }]
 *   'mustafid/known-job-types':        ['error', { jobTypes: [...] }]
 *   'mustafid/minimum-response-timer': ['error', { processIds: [...] }]
 */
module.exports = {
  configs: {
    recommended: {
      rules: {
        'known-candidate-groups': 'error',
        'known-job-types': 'error',
        'minimum-response-timer': 'error',
      },
    },
  },
};
