// The worker process stops cleanly on SIGTERM and SIGINT: exit code 0, "worker stopped" logged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useSandbox, type Sandbox } from '../support/sandbox.ts';

let sandbox: Sandbox;

before(async () => {
  sandbox = await useSandbox();
});

after(async () => {
  await sandbox?.stop();
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`the worker shuts down gracefully on ${signal}`, async () => {
    const { child, logFile } = await sandbox.spawnWorker('shutdown-test', signal.toLowerCase());
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, sig) => resolve({ code, signal: sig })),
    );
    child.kill(signal);
    assert.deepEqual(await exited, { code: 0, signal: null });
    const lines = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean);
    assert.ok(lines.some((line) => line.includes('"msg":"worker started"')));
    assert.ok(
      lines.some((line) => line.includes('"msg":"worker stopped"')),
      lines.slice(-3).join('\n'),
    );
  });
}
