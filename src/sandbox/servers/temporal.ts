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
export async function startTemporal(opts: TemporalOptions): Promise<TemporalDevServer> {
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
