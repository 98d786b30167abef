// The real Temporal dev server (`temporal server start-dev`) with casflow's search attributes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureBinary } from '../binaries.ts';
import { freePort } from '../free-port.ts';
import { startProcess, type ManagedProcess } from '../process.ts';
import type { TemporalServer } from './types.ts';
import { waitReady } from './wait-ready.ts';

const run = promisify(execFile);

/** Registered at start, so workflows can set them and the Web UI can filter by them. */
export const casflowSearchAttributes = {
  CasflowInstance: 'Keyword',
  CasflowNamespace: 'Keyword',
  CasflowOperation: 'Keyword',
  CasflowTargetVersion: 'Keyword',
} as const;

export interface TemporalOptions {
  logDir: string;
  /** SQLite file that keeps state across restarts; default in memory. */
  dbFile?: string;
  /** Frontend port; default a free one. Pass the old port to restart at the same address. */
  port?: number;
  /** Serve the Web UI on a free port; default false. */
  ui?: boolean;
  log?: (line: string) => void;
  /** Default 30000 ms. */
  readyTimeoutMs?: number;
}

export interface TemporalDevServer extends TemporalServer {
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts the dev server and resolves once `operator cluster health` says SERVING. */
/**
 * The dev server can die right after it answers SERVING: its internal services bind ports they
 * pick themselves a moment later, and a collision panics the whole process (seen in CI). Such an
 * early death on a port we chose is retried once on fresh ports.
 */
export async function startTemporal(opts: TemporalOptions): Promise<TemporalDevServer> {
  const first = await startTemporalOnce(opts);
  if (opts.port !== undefined || (await survives(first.process, SETTLE_MS))) return first;
  opts.log?.(`temporal died ${SETTLE_MS} ms after it was ready (see ${first.process.logFile}); starting it again`);
  return startTemporalOnce(opts);
}

const SETTLE_MS = 3_000;

async function survives(proc: ManagedProcess, ms: number): Promise<boolean> {
  const died = await Promise.race([proc.exited.then(() => true), delay(ms).then(() => false)]);
  return !died;
}

// Not unref'd: during this wait nothing else may keep the event loop (and a top-level await) alive.
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function startTemporalOnce(opts: TemporalOptions): Promise<TemporalDevServer> {
  const bin = await ensureBinary('temporal', { log: opts.log });
  const port = opts.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const uiPort = opts.ui ? await freePort() : undefined;

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default'];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  for (const [name, type] of Object.entries(casflowSearchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);

  const proc = startProcess({
    name: 'temporal',
    command: bin,
    args,
    logDir: opts.logDir,
    stopRank: 1,
    graceMs: 10_000,
    log: opts.log,
  });
  await waitReady(proc, () => isServing(bin, address), opts.readyTimeoutMs ?? 30_000).catch(async (e: unknown) => {
    await proc.stop();
    throw e;
  });

  const uiUrl = uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`;
  return {
    address,
    namespace: 'default',
    ...(uiUrl ? { uiUrl } : {}),
    process: proc,
    stop: async () => void (await proc.stop()),
  };
}

async function isServing(bin: string, address: string): Promise<boolean> {
  const { stdout } = await run(bin, ['operator', 'cluster', 'health', '--address', address], { timeout: 5000 });
  return stdout.trim() === 'SERVING';
}
