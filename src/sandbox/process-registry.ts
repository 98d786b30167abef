// Everything this process must stop before it goes away: test servers and the test run itself.
// While anything is registered, SIGINT, SIGTERM and SIGHUP stop it all in order (lowest rank
// first, so kube-apiserver goes before etcd) and then exit; on any other exit, including a crash
// by an uncaught error, whatever is still alive is killed at once.
import { constants } from 'node:os';

export interface Stoppable {
  readonly label: string;
  /** Lower ranks stop first; equal ranks stop together. */
  readonly stopRank: number;
  readonly pid?: number;
  stop(): Promise<unknown>;
  /** Synchronous last resort, for the 'exit' event where nothing asynchronous runs. */
  killNow(): void;
}

const tracked = new Set<Stoppable>();
const handledSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;
let signalled: NodeJS.Signals | undefined;

/** Registers `s` until it is untracked. */
export function track(s: Stoppable): void {
  tracked.add(s);
  if (!installed) install();
}

/** Forgets `s`; once nothing is left, signals behave as they do by default again. */
export function untrack(s: Stoppable): void {
  tracked.delete(s);
  if (tracked.size === 0 && installed && !signalled) uninstall();
}

/** What is registered now. */
export function trackedStoppables(): readonly Stoppable[] {
  return [...tracked];
}

/** The signal being handled, if a signal has started stopping everything. */
export function signalInProgress(): NodeJS.Signals | undefined {
  return signalled;
}

/** Stops everything registered, rank by rank. */
export async function stopAll(): Promise<void> {
  const ranks = [...new Set([...tracked].map((s) => s.stopRank))].sort((a, b) => a - b);
  for (const rank of ranks) {
    const group = [...tracked].filter((s) => s.stopRank === rank);
    await Promise.allSettled(group.map((s) => s.stop()));
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (signalled) {
    // A second Ctrl-C: the user does not want to wait for graceful stops.
    killAllNow();
    process.exit(128 + constants.signals[signal]);
  }
  signalled = signal;
  const labels = [...tracked]
    .sort((a, b) => a.stopRank - b.stopRank)
    .map((s) => s.label)
    .join(', ');
  process.stderr.write(`${signal} received: stopping ${labels}\n`);
  void stopAll().finally(() => process.exit(128 + constants.signals[signal]));
}

function killAllNow(): void {
  for (const s of tracked) s.killNow();
}

function install(): void {
  installed = true;
  for (const sig of handledSignals) process.on(sig, onSignal);
  process.on('exit', killAllNow);
}

function uninstall(): void {
  installed = false;
  for (const sig of handledSignals) process.off(sig, onSignal);
  process.off('exit', killAllNow);
}
