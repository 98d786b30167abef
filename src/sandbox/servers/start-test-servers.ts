// Starts every real test server (etcd + kube-apiserver, Temporal, versitygw) for one test run and
// stops them in the order they need: kube-apiserver before etcd, the rest alongside. A server that
// exits on its own in between is reported (onUnexpectedExit), since everything using it now hangs
// in retries without saying why.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { pruneOldRuns } from './prune-old-runs.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, type BinaryName } from '../binaries.ts';
import { track, untrack, type Stoppable } from '../process-registry.ts';
import { ServerDiedError } from './errors.ts';
import { startEtcd, type EtcdServer } from './etcd.ts';
import { startKubeApiserver, type KubeApiserver } from './kube-apiserver.ts';
import { startTemporal, type TemporalDevServer } from './temporal.ts';
import type { TestServers } from './types.ts';
import { startVersitygw, type Versitygw } from './versitygw.ts';

export interface StartTestServersOptions {
  /** Where data, certificates and logs go; default a new temporary directory, data removed on stop. */
  stateDir?: string;
  /** Serve the Temporal Web UI; default false. */
  temporalUi?: boolean;
  /** Progress lines; default stderr. */
  log?: (line: string) => void;
  /** Called for each server that exits while running, not through stop(); default: log the message. */
  onUnexpectedExit?: (error: ServerDiedError) => void;
}

const serverBinaries: readonly BinaryName[] = ['temporal', 'etcd', 'kube-apiserver', 'versitygw'];

/** Starts all test servers on free loopback ports; resolves when every one is ready. */
export async function startTestServers(opts: StartTestServersOptions = {}): Promise<TestServers> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ownsStateDir = opts.stateDir === undefined;
  if (ownsStateDir) await pruneOldRuns(tmpdir(), 'casflow-servers-');
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'casflow-servers-')));
  const logDir = join(stateDir, 'logs');
  await mkdir(logDir, { recursive: true });
  // Build anything missing first, so a cold build never eats into a ready timeout.
  for (const name of serverBinaries) await ensureBinary(name, { log });

  const started = Date.now();
  const timed = async <T>(name: string, start: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const server = await start();
    log(`${name} ready in ${Date.now() - t0} ms`);
    return server;
  };
  const [kube, s3] = await Promise.allSettled([
    startKube(stateDir, logDir, log, timed),
    timed('versitygw', () => startVersitygw({ dir: join(stateDir, 's3'), logDir, log })),
  ]);
  // Temporal last: its internal services pick free ports as they start, and must not take one
  // that was chosen for another server but not bound yet.
  const [temporal] = await Promise.allSettled([
    kube.status === 'fulfilled' && s3.status === 'fulfilled'
      ? timed('temporal', () => startTemporal({ logDir, ui: opts.temporalUi, log }))
      : Promise.reject(new Error('not started: another server failed')),
  ]);
  if (kube.status === 'rejected' || temporal.status === 'rejected' || s3.status === 'rejected') {
    await stopAllOf([kube, temporal, s3]);
    throw [kube, temporal, s3].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))[0];
  }
  log(`test servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${logDir}`);

  const servers = { ...kube.value, temporal: temporal.value, s3: s3.value };
  const onUnexpectedExit = opts.onUnexpectedExit ?? ((error: ServerDiedError) => log(error.message));
  return running(servers, { stateDir, logDir, ownsStateDir, onUnexpectedExit });
}

interface Running {
  etcd: EtcdServer;
  api: KubeApiserver;
  temporal: TemporalDevServer;
  s3: Versitygw;
}

async function startKube(
  stateDir: string,
  logDir: string,
  log: (line: string) => void,
  timed: <T>(name: string, start: () => Promise<T>) => Promise<T>,
): Promise<Pick<Running, 'etcd' | 'api'> & { stop(): Promise<void> }> {
  const etcd = await timed('etcd', () => startEtcd({ dir: join(stateDir, 'etcd'), logDir, log }));
  try {
    const api = await timed('kube-apiserver', () =>
      startKubeApiserver({ etcdUrl: etcd.url, dir: join(stateDir, 'kube'), logDir, log }),
    );
    return { etcd, api, stop: () => api.stop().then(() => etcd.stop()) };
  } catch (err) {
    await etcd.stop();
    throw err;
  }
}

interface RunningOptions {
  stateDir: string;
  logDir: string;
  ownsStateDir: boolean;
  onUnexpectedExit: (error: ServerDiedError) => void;
}

function running(r: Running, opts: RunningOptions): TestServers {
  const { stateDir, logDir, ownsStateDir } = opts;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all([r.api.stop().then(() => r.etcd.stop()), r.temporal.stop(), r.s3.stop()]);
      untrack(entry);
      // Logs stay for reading after the run; data and the admin token go.
      if (ownsStateDir) await removeAllBut(stateDir, 'logs');
    })());
  // Ranked before the server processes, so a signal stops them through here, in order.
  const entry: Stoppable = { label: 'test servers', stopRank: 0.5, stop, killNow: () => undefined };
  track(entry);
  // A server that died before the others were ready is reported here too: its `exited` has resolved.
  for (const proc of [r.etcd.process, r.api.process, r.temporal.process, r.s3.process]) {
    void proc.exited.then(({ code, signal }) => {
      if (!stopping) opts.onUnexpectedExit(new ServerDiedError(proc.name, code, signal, proc.logFile));
    });
  }

  const { url, token, caFile, kubeconfigPath, certDir } = r.api;
  const { address, namespace, uiUrl } = r.temporal;
  const { endpoint, accessKeyId, secretAccessKey, region } = r.s3;
  return {
    kube: { url, token, caFile, kubeconfigPath, certDir },
    temporal: { address, namespace, ...(uiUrl ? { uiUrl } : {}) },
    s3: { endpoint, accessKeyId, secretAccessKey, region },
    logDir,
    stateDir,
    stop,
  };
}

async function stopAllOf(results: PromiseSettledResult<{ stop(): Promise<void> }>[]): Promise<void> {
  await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
}

async function removeAllBut(dir: string, keep: string): Promise<void> {
  const entries = await readdir(dir);
  await Promise.all(entries.filter((e) => e !== keep).map((e) => rm(join(dir, e), { recursive: true, force: true })));
}
