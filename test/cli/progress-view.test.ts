import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ProgressTracker } from '../../src/domain/progress.ts';
import { progressView } from '../../src/cli/progress-view.ts';

function stream(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY, columns: 80 });
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out, text: () => text };
}

function tracker() {
  return new ProgressTracker('provisionCas', 'default', 'mycas', [
    ['create-cas', 'Create the CAS resource'],
    ['wait-for-pod', 'Wait for the CAS pod and service'],
    ['wait-ready', 'Wait until the CAS is ready'],
  ]);
}

test('without a TTY each step transition is one line; unchanged polls print nothing', () => {
  const stderr = stream(false);
  const view = progressView('text', stream(false).out, stderr.out);
  const t = tracker();
  view.update(t.progress);
  t.start('create-cas');
  view.update(structuredClone(t.progress));
  view.update(structuredClone(t.progress));
  t.finish('create-cas', 'created');
  t.start('wait-for-pod');
  t.observe({ state: 'PENDING', phase: 'Unprovisioned' });
  view.update(structuredClone(t.progress));
  t.fail('pod mycas-0 not running after 10m');
  view.update(structuredClone(t.progress));

  assert.equal(
    stderr.text(),
    '[1/3] create-cas: running\n' +
      '[1/3] create-cas: done (created)\n' +
      '[2/3] wait-for-pod: running\n' +
      '[2/3] wait-for-pod: failed\n',
  );
});

test('on a TTY the step list is redrawn in place with the last CAS status', () => {
  const stderr = stream(true);
  const view = progressView('text', stream(false).out, stderr.out);
  const t = tracker();
  t.start('create-cas');
  view.update(structuredClone(t.progress));
  const first = stderr.text();
  t.finish('create-cas', 'created');
  t.start('wait-for-pod');
  t.observe({ state: 'PENDING', phase: 'Unprovisioned', provisioned: 'No' });
  view.update(structuredClone(t.progress));

  assert.equal(
    first,
    '▸ Create the CAS resource\n· Wait for the CAS pod and service\n· Wait until the CAS is ready\n' +
      '  CAS status: no status yet\n',
  );
  assert.equal(
    stderr.text().slice(first.length),
    '\x1b[4F\x1b[J✓ Create the CAS resource (created)\n▸ Wait for the CAS pod and service\n' +
      '· Wait until the CAS is ready\n  CAS status: state=PENDING phase=Unprovisioned provisioned=No\n',
  );
});

test('--output json prints one object per change on stdout', () => {
  const stdout = stream(false);
  const view = progressView('json', stdout.out, stream(true).out);
  const t = tracker();
  view.update(structuredClone(t.progress));
  view.update(structuredClone(t.progress));
  t.start('create-cas');
  view.update(structuredClone(t.progress));
  const lines = stdout.text().trim().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(JSON.parse(lines[1]!).progress.steps[0].state, 'running');
});
