import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneOldRuns } from '../../src/sandbox/servers/prune-old-runs.ts';

test('pruneOldRuns removes only finished runs (logs only) older than a week', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'prune-test-'));
  try {
    const old = new Date(Date.now() - 8 * 24 * 3_600_000);
    const make = async (name: string, entries: string[], mtime?: Date) => {
      const dir = join(parent, name);
      await mkdir(dir);
      for (const entry of entries) await mkdir(join(dir, entry));
      if (mtime) await utimes(dir, mtime, mtime);
    };
    await make('casflow-servers-old', ['logs'], old);
    await make('casflow-servers-running', ['logs', 'etcd'], old);
    await make('casflow-servers-recent', ['logs']);
    await make('other-old', ['logs'], old);
    await writeFile(join(parent, 'casflow-servers-file'), 'x');

    const removed = await pruneOldRuns(parent, 'casflow-servers-');

    assert.deepEqual(removed, [join(parent, 'casflow-servers-old')]);
    assert.deepEqual((await readdir(parent)).sort(), [
      'casflow-servers-file',
      'casflow-servers-recent',
      'casflow-servers-running',
      'other-old',
    ]);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
