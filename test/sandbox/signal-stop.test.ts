// A process that started the test servers and then gets SIGINT stops every server (kube-apiserver
// before etcd), removes their data, and exits with 130; nothing it started is left running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { deadline, isAlive } from '../support/process.ts';

const fixture = fileURLToPath(new URL('./fixtures/serve-until-signal.ts', import.meta.url));

describe('test servers on SIGINT', () => {
  it('are all stopped, kube-apiserver before etcd, before the process exits', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    after(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const ready = await new Promise<{ pids: number[]; stateDir: string }>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        lines.push(...parts);
        const readyLine = parts.find((l) => l.startsWith('READY '));
        if (readyLine) resolve(JSON.parse(readyLine.slice('READY '.length)) as { pids: number[]; stateDir: string });
      });
      void exited.then((e) => reject(new Error(`fixture exited early (${JSON.stringify(e)}): ${stderr}`)));
    });
    assert.equal(ready.pids.length, 4);
    assert.deepEqual(ready.pids.map(isAlive), [true, true, true, true]);

    child.kill('SIGINT');
    const exit = await Promise.race([exited, deadline(30_000)]);

    assert.deepEqual(exit, { code: 130, signal: null });
    assert.deepEqual(ready.pids.map(isAlive), [false, false, false, false]);
    const stopped = lines.filter((l) => l.startsWith('stopped ')).map((l) => l.split(' ')[1]);
    assert.deepEqual([...stopped].sort(), ['etcd', 'kube-apiserver', 'temporal', 'versitygw']);
    assert.ok(stopped.indexOf('kube-apiserver') < stopped.indexOf('etcd'), `stop order was ${stopped.join(', ')}`);
    assert.deepEqual(await readdir(ready.stateDir), ['logs']);
    assert.match(stderr, /^SIGINT received: stopping test servers, /m);
  });
});
