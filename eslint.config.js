// ESLint flat config. The workflows/ override is the important part: workflow code runs in
// Temporal's deterministic sandbox, so Node built-ins, the Kubernetes client and pino are refused
// here as well as by the bundling test (test/workflows/bundle.test.ts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code must not use Node built-ins.' })),
            { name: 'pino', message: 'Workflows log through the workflow logger (log from @temporalio/workflow).' },
            { name: '@kubernetes/client-node', message: 'Kubernetes calls belong in activities/.' },
            { name: '@temporalio/activity', message: 'Activities are imported with import type only.' },
            { name: '@temporalio/client', message: 'Workflows cannot use the Temporal client.' },
            { name: '@temporalio/worker', message: 'Workflows cannot use the worker package.' },
          ],
          patterns: [
            {
              group: ['../src/*', '!../src/domain', '!../src/domain/**'],
              message: 'Workflows may import only src/domain.',
            },
            {
              group: ['../activities/*', '../activities'],
              allowTypeImports: true,
              message: 'Import activity types only.',
            },
          ],
        },
      ],
    },
  },
);
