// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test/artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Architecture (DESIGN §1): a lib never imports an app.
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/**'], message: 'A lib never imports an app.' }] }],
    },
  },
  {
    // libs/workflow is the engine alone (issue 21): its REST API is libs/engine-api, the modeling
    // libs/modeling, the audit log and accounts sit above it. It imports only the platform.
    files: ['libs/workflow/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**'], message: 'A lib never imports an app.' },
            { group: ['@mustafid/*', '!@mustafid/platform', '!@mustafid/platform/*'], message: 'libs/workflow is the engine alone: it imports only @mustafid/platform (docs/architecture.md).' },
          ],
        },
      ],
    },
  },
  { files: ['test/**', 'apps/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['apps/web/**'], languageOptions: { globals: { ...globals.browser } } },
  // bpmnlint plugins are CommonJS packages: bpmnlint's resolver require()s their rules.
  { files: ['libs/workflow/bpmnlint-plugin-mustafid/**/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
