// A sandbox whose Temporal server is killed says so on one line naming the server, its signal and
// its log, stops everything else it started and exits with 1, instead of retrying forever.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { deadline, isAlive } from '../support/process.ts';

const fixture = fileURLToPath(new URL('./fixtures/sandbox-until-exit.ts', import.meta.url));

interface Ready {
  pids: Record<string, number>;
  logDir: string;
  workDir: string;
}

describe('sandbox when one of its servers dies', () => {
  it('names temporal, stops every other server and exits with 1', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // If the fixture is still running when this test gives up, SIGINT lets it stop its servers.
    after(() => stopFixture(child, exited));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = await readyLine(child.stdout, exited, () => stderr);
    after(() => rm(ready.workDir, { recursive: true, force: true }));
    // The sandbox keeps its server logs for the user; this test has read what it needs.
    after(() => rm(dirname(ready.logDir), { recursive: true, force: true }));
    assert.deepEqual(Object.keys(ready.pids).sort(), ['etcd', 'kube-apiserver', 'temporal', 'versitygw']);
    const pids = Object.values(ready.pids);
    assert.deepEqual(pids.map(isAlive), [true, true, true, true]);

    process.kill(ready.pids['temporal']!, 'SIGKILL');
    const exit = await Promise.race([exited, deadline(60_000)]);

    assert.deepEqual(exit, { code: 1, signal: null });
    assert.deepEqual(pids.map(isAlive), [false, false, false, false]);
    const log = join(ready.logDir, 'temporal.log');
    const reports = stderr.split('\n').filter((l) => l.includes('exited unexpectedly'));
    assert.deepEqual(reports, [
      `[sandbox] temporal exited unexpectedly with signal SIGKILL; log ${log}; stopping the sandbox`,
    ]);
    assert.match(stderr, /^\[sandbox\] worker stopped$/m);
  });
});

function readyLine(stdout: NodeJS.ReadableStream, exited: Promise<unknown>, stderr: () => string): Promise<Ready> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice('READY '.length)) as Ready);
    });
    void exited.then((e) => reject(new Error(`fixture exited early (${JSON.stringify(e)}): ${stderr()}`)));
  });
}

async function stopFixture(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  await Promise.race([exited, deadline(30_000)]).catch(() => child.kill('SIGKILL'));
}
