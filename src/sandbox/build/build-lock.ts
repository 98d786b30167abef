// A lock file that serializes builds across processes. One lock for the whole cache, not one per
// binary: kube-apiserver and kubectl share a Go module, and two Go builds at once on a 2-core
// machine are slower than one after the other.
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BuildLockTimeoutError } from './errors.ts';

const pollMs = 250;
const reportEveryMs = 5000;
// A cold kube-apiserver build takes about 5 minutes; a waiter gives up well after that.
const giveUpMs = 30 * 60 * 1000;

/** Takes the lock at `file`, waiting for a live holder; resolves to the release function. */
export async function acquireBuildLock(file: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const started = Date.now();
  let lastReport = 0;

  for (;;) {
    if (await tryCreate(file)) return () => unlink(file).catch(() => undefined);

    const holder = await readHolder(file);
    if (holder === 'released') continue;
    if (holder.stale) {
      // Two waiters that find the same dead holder may both get through. That needs a crashed
      // build first, and builds write to temporary paths and rename, so the cost is a wasted build.
      await unlink(file).catch(() => undefined);
      continue;
    }

    const waited = Date.now() - started;
    if (waited > giveUpMs) throw new BuildLockTimeoutError(file, holder.pid, waited);
    if (lastReport === 0 || Date.now() - lastReport >= reportEveryMs) {
      lastReport = Date.now();
      log(`waiting for another build (pid ${holder.pid ?? '?'}, lock ${file}): ${Math.round(waited / 1000)} s elapsed`);
    }
    await sleep(pollMs);
  }
}

/** Creates the lock already holding our pid: link() of a written file is atomic, open+write is not. */
async function tryCreate(file: string): Promise<boolean> {
  const draft = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(draft, String(process.pid));
  try {
    await link(draft, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(draft);
  }
}

async function readHolder(file: string): Promise<{ pid: number | null; stale: boolean } | 'released'> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return 'released';
  const pid = Number.parseInt(text, 10);
  // Not written by tryCreate, so nobody will ever release it.
  if (Number.isNaN(pid)) return { pid: null, stale: true };
  return { pid, stale: !isAlive(pid) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
