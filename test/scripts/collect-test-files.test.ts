// The harness lists test files itself (Node 20's --test takes no glob): every *.test.ts under the
// paths given, test/ by default, sorted and relative to the repository.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectTestFiles, TestPathError } from '../../scripts/collect-test-files.ts';

describe('collectTestFiles', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'casflow-collect-'));
    for (const file of ['test/b.test.ts', 'test/a/z.test.ts', 'test/a/helper.ts', 'test/node_modules/m.test.ts']) {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), '');
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('lists every test file under test/ when no path is given', async () => {
    assert.deepEqual(await collectTestFiles(root, []), ['test/a/z.test.ts', 'test/b.test.ts']);
  });

  it('narrows to the directories and files given, without duplicates', async () => {
    const files = await collectTestFiles(root, ['test/a', 'test/a/z.test.ts', 'test/b.test.ts']);

    assert.deepEqual(files, ['test/a/z.test.ts', 'test/b.test.ts']);
  });

  it('names a path that does not exist', async () => {
    await assert.rejects(collectTestFiles(root, ['test/nope']), new TestPathError('test/nope'));
    await assert.rejects(collectTestFiles(root, ['test/nope']), { message: 'Test path test/nope does not exist' });
  });
});
