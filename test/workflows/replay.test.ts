// Recorded histories of every workflow type (test/histories/, made by scripts/record-histories.ts)
// must replay against the current workflow code: a change that would break running workflows
// fails here instead of in production.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/create-worker.ts';

const HISTORIES = fileURLToPath(new URL('../histories/', import.meta.url));
const REORDERED = fileURLToPath(new URL('./fixtures/reordered-provision.ts', import.meta.url));

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // installed already
}

/** The proto3 JSON form, as `temporal workflow show --output json` writes it; the worker decodes it. */
async function loadHistory(file: string): Promise<unknown> {
  return JSON.parse(await readFile(`${HISTORIES}${file}`, 'utf8'));
}

const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json')).sort();

test('there is a recorded history for every workflow type', () => {
  assert.deepEqual(files, [
    'cas-status.json',
    'provision-cas-already-provisioned.json',
    'provision-cas-provisioned.json',
    'verify-cas-public-keys.json',
  ]);
});

for (const file of files) {
  test(`${file} replays against the current workflow code`, async () => {
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, await loadHistory(file));
  });
}

test('a reordered provisionCas does not replay the recorded history', async () => {
  await assert.rejects(
    Worker.runReplayHistory({ workflowsPath: REORDERED }, await loadHistory('provision-cas-provisioned.json')),
    { name: 'DeterminismViolationError' },
  );
});
