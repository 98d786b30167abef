// Workflow code must stay deterministic: a Node built-in, pino or the Kubernetes client imported
// under workflows/ fails here (bundler and lint rule), not at the first deploy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/create-worker.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quiet = { warn: () => {}, info: () => {}, debug: () => {}, trace: () => {}, error: () => {}, log: () => {} };

test('workflows/index.ts bundles and exports the casflow workflow types', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  for (const name of ['provisionCas', 'casStatus', 'verifyCas']) {
    assert.match(code, new RegExp(`\\b${name}\\b`), `bundle lacks workflow ${name}`);
  }
});

for (const forbidden of ['node:fs', '@kubernetes/client-node']) {
  test(`the bundler refuses a workflow importing ${forbidden}`, async () => {
    // Inside the project, so that the module resolves and only the sandbox rule can refuse it.
    const dir = await mkdtemp(join(PROJECT_ROOT, 'workflows', '.bundle-test-'));
    try {
      const file = join(dir, 'bad-workflow.ts');
      await writeFile(file, `import * as m from '${forbidden}';\nexport async function bad() { return typeof m; }\n`);
      await assert.rejects(bundleWorkflowCode({ workflowsPath: file, logger: quiet }), /Webpack finished with errors/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

// pino bundles (it has a browser build), so the lint rule is what keeps it out of workflows/.
for (const forbidden of ['pino', 'node:fs', 'child_process', '@kubernetes/client-node', '../src/sandbox/standins.ts']) {
  test(`the lint rule refuses a workflow importing ${forbidden}`, async () => {
    const eslint = new ESLint({ cwd: PROJECT_ROOT });
    const [result] = await eslint.lintText(`import * as m from '${forbidden}';\nexport const n = typeof m;\n`, {
      filePath: join(PROJECT_ROOT, 'workflows', 'bad-workflow.ts'),
    });
    const rules = result!.messages.map((m) => m.ruleId);
    assert.deepEqual(rules, ['no-restricted-imports']);
  });
}

test('the workflows folder passes the lint rules', async () => {
  const eslint = new ESLint({ cwd: PROJECT_ROOT });
  const results = await eslint.lintFiles(['workflows/**/*.ts']);
  const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`));
  assert.deepEqual(problems, []);
});
