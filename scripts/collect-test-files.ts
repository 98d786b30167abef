// Test files for `npm test [-- paths...]`. Node 20's `--test` takes no glob, so the harness lists
// the files itself: every *.test.ts under each path given (a file counts as itself), default test/.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

/** Thrown when a path given on the command line does not exist. */
export class TestPathError extends Error {
  override readonly name = 'TestPathError';
  constructor(readonly path: string) {
    super(`Test path ${path} does not exist`);
  }
}

/** Sorted, repository-relative paths of the test files under `paths`. */
export async function collectTestFiles(root: string, paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const p of paths.length > 0 ? paths : ['test']) {
    const abs = resolve(root, p);
    const info = await stat(abs).catch(() => null);
    if (!info) throw new TestPathError(p);
    const files = info.isDirectory() ? await testFilesUnder(abs) : [abs];
    for (const f of files) found.add(relative(root, f));
  }
  return [...found].sort();
}

async function testFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !f.includes('/node_modules/'));
}
