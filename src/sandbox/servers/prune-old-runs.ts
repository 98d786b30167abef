// Server runs keep their logs in <tmp>/casflow-servers-*/logs after they stop; without pruning they
// pile up. A directory is removed only when it holds nothing but logs (its run has finished) and
// has not changed for a week, so a run in progress is never touched.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const KEEP_MS = 7 * 24 * 3_600_000;

export async function pruneOldRuns(parent: string, prefix: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    if (!entry.startsWith(prefix)) continue;
    const dir = join(parent, entry);
    try {
      const [info, contents] = await Promise.all([stat(dir), readdir(dir)]);
      if (!info.isDirectory() || now - info.mtimeMs < KEEP_MS) continue;
      if (contents.some((name) => name !== 'logs')) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // gone meanwhile, or not ours to read: leave it
    }
  }
  return removed;
}
