import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../activities/scone/run-command.ts';

test('runCommand survives children that exit at once, many times over (no EPIPE)', async () => {
  for (let i = 0; i < 100; i++) {
    const result = await runCommand('/bin/true', [], { env: process.env, timeoutMs: 5_000 });
    assert.equal(result.exitCode, 0);
  }
  const withInput = await runCommand('/bin/true', [], {
    env: process.env,
    timeoutMs: 5_000,
    stdin: 'x'.repeat(1 << 20),
  });
  assert.equal(withInput.exitCode, 0);
});

test('runCommand kills the whole process group at its timeout', async () => {
  const result = await runCommand('/bin/sh', ['-c', 'sleep 30 & sleep 30'], { env: process.env, timeoutMs: 300 });
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, 'SIGKILL');
});

test('runCommand decodes UTF-8 split across chunks and bounds the output', async () => {
  const result = await runCommand('/bin/sh', ['-c', 'printf "\\303\\244%.0s" $(seq 1 40000)'], {
    env: process.env,
    timeoutMs: 5_000,
    maxOutputChars: 50_000,
  });
  assert.equal(result.stdout.length, 40_000);
  assert.equal(result.stdout, 'ä'.repeat(40_000));
  const bounded = await runCommand('/bin/sh', ['-c', 'head -c 200000 /dev/zero'], {
    env: process.env,
    timeoutMs: 5_000,
    maxOutputChars: 1000,
  });
  assert.equal(bounded.stdout.length, 1000);
  assert.equal(bounded.truncated, true);
});
