// Child processes for the test servers: spawned without a shell, output to a log file, each in its
// own process group (so a terminal's Ctrl-C reaches only us and we stop them in order), stopped
// with a signal and then SIGKILL after a grace period.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { track, trackedStoppables, untrack, type Stoppable } from './process-registry.ts';

export interface StartProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  /** Output goes to <logDir>/<name>.log (appended); without it the child shares our stdio. */
  logDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Lower ranks stop first when everything is stopped; default 1. */
  stopRank?: number;
  /** Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Time between the stop signal and SIGKILL; default 5000 ms. */
  graceMs?: number;
  /** Whether the child keeps this process's event loop alive; default false. */
  keepAlive?: boolean;
  /** Receives "stopped <name> ..." lines. */
  log?: (line: string) => void;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string | undefined;
  readonly exited: Promise<ProcessExit>;
  running(): boolean;
  /** Stops the process (idempotent) and resolves once it has exited and been reaped. */
  stop(): Promise<ProcessExit>;
}

/** The command could not be started at all (missing or not executable). */
export class ProcessSpawnError extends Error {
  override readonly name = 'ProcessSpawnError';
  constructor(
    readonly processName: string,
    readonly command: string,
    options?: { cause?: unknown },
  ) {
    super(`Starting ${processName} failed: cannot run ${command}`, options);
  }
}

/** Starts a managed child; it is stopped with everything else on a signal or exit. */
export function startProcess(opts: StartProcessOptions): ManagedProcess {
  const logFile = opts.logDir ? join(opts.logDir, `${opts.name}.log`) : undefined;
  const fd = logFile ? openSync(logFile, 'a') : undefined;
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: fd === undefined ? 'inherit' : ['ignore', fd, fd],
  });
  if (fd !== undefined) closeSync(fd); // the child holds its own copy

  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  const pid = child.pid;
  if (pid === undefined) throw new ProcessSpawnError(opts.name, opts.command, { cause: spawnError });
  if (!opts.keepAlive) child.unref();

  let alive = true;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('exit', (code, signal) => {
      alive = false;
      untrack(entry);
      resolve({ code, signal });
    });
  });

  let stopping: Promise<ProcessExit> | undefined;
  const stop = (): Promise<ProcessExit> => (stopping ??= stopChild(opts, pid, exited, () => alive));
  const entry: Stoppable = {
    label: opts.name,
    stopRank: opts.stopRank ?? 1,
    pid,
    stop,
    killNow: () => signalGroup(pid, 'SIGKILL'),
  };
  track(entry);

  return { name: opts.name, pid, logFile, exited, running: () => alive, stop };
}

async function stopChild(
  opts: StartProcessOptions,
  pid: number,
  exited: Promise<ProcessExit>,
  alive: () => boolean,
): Promise<ProcessExit> {
  const started = Date.now();
  if (alive()) signalGroup(pid, opts.stopSignal ?? 'SIGTERM');
  const graceful = await Promise.race([exited, sleep(opts.graceMs ?? 5000, null)]);
  const exit = graceful ?? (signalGroup(pid, 'SIGKILL'), await exited);
  await clearGroup(pid, opts.graceMs ?? 5000);

  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  const forced = graceful ? '' : ' (killed after grace period)';
  opts.log?.(`stopped ${opts.name} (pid ${pid}) in ${Date.now() - started} ms: ${how}${forced}`);
  return exit;
}

/**
 * Stops what the child left behind in its group. The test run's group holds test-file processes
 * that may still be stopping servers of their own; killing them outright would orphan those.
 */
async function clearGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupExists(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupExists(pgid) && Date.now() < deadline) await sleep(100);
  signalGroup(pgid, 'SIGKILL');
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the child's whole process group; a group that is already gone is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}

/** Pids of every managed child still running in this process. */
export function livePids(): number[] {
  return trackedStoppables().flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
}
