// etcd for the Kubernetes API server: one member, loopback only, no fsync (test data is thrown
// away, and fsync dominates etcd's latency on shared disks).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureBinary } from '../binaries.ts';
import { freePort } from '../free-port.ts';
import { startProcess, type ManagedProcess } from '../process.ts';
import { waitReady } from './wait-ready.ts';

export interface EtcdOptions {
  /** Holds the data directory. */
  dir: string;
  logDir: string;
  log?: (line: string) => void;
  /** Default 30000 ms. */
  readyTimeoutMs?: number;
}

export interface EtcdServer {
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts etcd on free loopback ports and resolves once /health reports healthy. */
export async function startEtcd(opts: EtcdOptions): Promise<EtcdServer> {
  const bin = await ensureBinary('etcd', { log: opts.log });
  const dataDir = join(opts.dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const url = `http://127.0.0.1:${await freePort()}`;
  const peerUrl = `http://127.0.0.1:${await freePort()}`;

  const proc = startProcess({
    name: 'etcd',
    command: bin,
    args: [
      '--data-dir',
      dataDir,
      '--listen-client-urls',
      url,
      '--advertise-client-urls',
      url,
      '--listen-peer-urls',
      peerUrl,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--initial-cluster',
      `default=${peerUrl}`,
      '--unsafe-no-fsync',
    ],
    logDir: opts.logDir,
    stopRank: 2, // after kube-apiserver, which otherwise retries a missing etcd for minutes
    log: opts.log,
  });

  await waitReady(proc, () => isHealthy(url), opts.readyTimeoutMs ?? 30_000).catch(async (err: unknown) => {
    await proc.stop();
    throw err;
  });
  return { url, process: proc, stop: async () => void (await proc.stop()) };
}

async function isHealthy(url: string): Promise<boolean> {
  const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
  const body = (await res.json()) as { health?: unknown };
  return res.ok && body.health === 'true';
}
