// ensureBinary builds a missing binary once, under the build lock, into the versioned cache
// path, and afterwards returns the cached path without building. Uses the Temporal CLI, whose
// build is a pip install of about 10 s, in a cache directory of its own.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureBinary } from '../../src/sandbox/binaries.ts';

const run = promisify(execFile);

describe('ensureBinary cache', () => {
  let cacheDir = '';
  const saved = { cache: process.env['CASFLOW_CACHE_DIR'], override: process.env['CASFLOW_TEMPORAL_BIN'] };
  before(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'casflow-cache-test-'));
    process.env['CASFLOW_CACHE_DIR'] = cacheDir;
    delete process.env['CASFLOW_TEMPORAL_BIN'];
  });
  after(async () => {
    restore('CASFLOW_CACHE_DIR', saved.cache);
    restore('CASFLOW_TEMPORAL_BIN', saved.override);
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('builds temporal once for two concurrent callers, then reuses it', { timeout: 300_000 }, async () => {
    const first: string[] = [];
    const second: string[] = [];
    const expected = join(cacheDir, 'temporal-1.9.1', 'bin', 'temporal');

    // Progress every 500 ms instead of 5 s, so this short build shows the periodic lines too.
    const paths = await Promise.all([
      ensureBinary('temporal', { log: (l) => first.push(l), progressEveryMs: 500 }),
      ensureBinary('temporal', { log: (l) => second.push(l), progressEveryMs: 500 }),
    ]);
    const [builder, waiter] = first.some((l) => l.startsWith('built ')) ? [first, second] : [second, first];
    const { stdout } = await run(expected, ['--version']);

    assert.deepEqual(paths, [expected, expected]);
    assert.match(builder[0] ?? '', /^building temporal 1\.9\.1 \(first run only, ~10 s cold\); log: /);
    assert.match(builder.at(-1) ?? '', /^built temporal 1\.9\.1 in \d+ s$/);
    const ticks = builder.filter((l) => / s elapsed$/.test(l));
    assert.ok(ticks.length >= 2, `periodic progress lines while building: ${builder.join(' | ')}`);
    assert.match(ticks[0]!, /^building temporal 1\.9\.1 \(first run only, ~10 s cold\): \d+ s elapsed$/);
    assert.match(waiter[0] ?? '', /^waiting for another build \(pid \d+, lock .*\.build\.lock\): 0 s elapsed$/);
    assert.deepEqual(
      waiter.filter((l) => l.startsWith('build')),
      [],
      'the waiting caller built too',
    );
    assert.equal(stdout.trim(), 'temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)');
    assert.deepEqual((await readdir(cacheDir)).sort(), ['logs', 'temporal-1.9.1']);
  });

  it('returns the cached path without a build line on the next call', async () => {
    const lines: string[] = [];

    const path = await ensureBinary('temporal', { log: (l) => lines.push(l) });

    assert.equal(path, join(cacheDir, 'temporal-1.9.1', 'bin', 'temporal'));
    assert.deepEqual(lines, []);
    await access(path);
  });

  it('prefers CASFLOW_TEMPORAL_BIN and rejects one that is not executable', async () => {
    process.env['CASFLOW_TEMPORAL_BIN'] = join(cacheDir, 'temporal-1.9.1', 'bin', 'temporal');
    const chosen = await ensureBinary('temporal');
    process.env['CASFLOW_TEMPORAL_BIN'] = join(cacheDir, 'missing');
    const refused = await ensureBinary('temporal').then(
      () => assert.fail('a missing override was accepted'),
      (err: Error) => err,
    );
    delete process.env['CASFLOW_TEMPORAL_BIN'];

    assert.equal(chosen, join(cacheDir, 'temporal-1.9.1', 'bin', 'temporal'));
    assert.equal(refused.name, 'BinaryOverrideError');
    assert.equal(
      refused.message,
      `CASFLOW_TEMPORAL_BIN points at ${join(cacheDir, 'missing')}, which is not an executable file`,
    );
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
