// The whole sandbox on one machine: the real servers (Temporal with its Web UI, etcd +
// kube-apiserver, versitygw), the SCONE stand-ins and a casflow worker, for `npm run sandbox`
// and `npm run demo`.
// Steps: 1. build or find the server binaries and start the servers; 2. start the stand-ins;
// 3. start a worker (in this process) with a directory credential store; 4. write env.sh.
// stop() undoes them in reverse order; Ctrl-C does the same through the process registry.
// If one of its servers dies, the sandbox says which and stops everything, as Ctrl-C would, and
// exits with 1: without the server it would only keep retrying.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { startTestServers, type ServerDiedError, type TestServers } from './servers/index.ts';
import { startStandIns, type StandIns } from './standins.ts';
import { sandboxWorkerEnv } from './worker-env.ts';
import { signalInProgress, stopAll, track, untrack, type Stoppable } from './process-registry.ts';
import { loadWorkerConfig } from '../../worker/config.ts';
import { createCasflowWorker } from '../../worker/create-worker.ts';
import { createLogger } from '../../worker/logger.ts';

export interface RunningSandbox {
  servers: TestServers;
  standIns: StandIns;
  /** Environment for the casflow CLI and for another worker. */
  env: Record<string, string>;
  envFile: string;
  workerLog: string;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox. Server data lives in a fresh temporary directory (a new cluster each time);
 * workDir keeps what a user looks at: env.sh, the worker log and the credential directory, which is
 * emptied first because identities of an earlier cluster mean nothing to this one.
 */
export async function startSandbox(workDir: string, log: (line: string) => void): Promise<RunningSandbox> {
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const onUnexpectedExit = exitOnServerDeath(log);
  const servers = await startTestServers({ temporalUi: true, log, onUnexpectedExit });
  const standIns = await startStandIns({ kube: servers.kube, stateDir: join(servers.stateDir, 'stand-ins') }).catch(
    async (error: unknown) => {
      await servers.stop();
      throw error;
    },
  );

  const credentialDir = join(workDir, 'credentials');
  await rm(credentialDir, { recursive: true, force: true });
  await mkdir(credentialDir, { recursive: true, mode: 0o700 });
  const env = sandboxWorkerEnv({
    kube: servers.kube,
    temporal: servers.temporal,
    standIns,
    credentialStore: `dir:${credentialDir}`,
  });

  // The sandbox stops the worker itself (see stop below), so the SDK must not also react to Ctrl-C.
  // Only errors reach the terminal: at WARN, every expected activity failure prints a stack trace,
  // and the worker log below has them all anyway.
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const workerLog = join(workDir, 'worker.log');
  const worker = await createCasflowWorker(loadWorkerConfig(env), createLogger('info', createWriteStream(workerLog)));
  const running = worker.run();

  const cliEnv = {
    KUBECONFIG: servers.kube.kubeconfigPath,
    CASFLOW_TEMPORAL_ADDRESS: servers.temporal.address,
    CASFLOW_TEMPORAL_NAMESPACE: servers.temporal.namespace,
    CASFLOW_TASK_QUEUE: env.CASFLOW_TASK_QUEUE!,
    // The temporal CLI's own settings, so `temporal workflow ...` reaches this sandbox as is.
    TEMPORAL_ADDRESS: servers.temporal.address,
    TEMPORAL_NAMESPACE: servers.temporal.namespace,
  };
  const envFile = join(workDir, 'env.sh');
  const lines = Object.entries(cliEnv).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`);
  await writeFile(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      untrack(entry);
      await stopWorker(worker.worker, running, log);
      await standIns.stop();
      await servers.stop();
    })());
  // Rank below the servers' (0.5): the worker and stand-ins go before the servers they use.
  const entry: Stoppable = { label: 'sandbox worker and stand-ins', stopRank: 0.25, stop, killNow: () => undefined };
  track(entry);

  return { servers, standIns, env: { ...env, ...cliEnv }, envFile, workerLog, stop };
}

/** Shuts the worker down and waits for it, telling the user why nothing happens meanwhile. */
async function stopWorker(worker: Worker, running: Promise<void>, log: (line: string) => void): Promise<void> {
  if (worker.getState() !== 'RUNNING') return void (await running.catch(() => undefined));
  // The 10 s is the worker's shutdownGraceTime (worker/create-worker.ts).
  log('stopping the casflow worker (in-flight activities get up to 10 s)...');
  worker.shutdown();
  await running.catch(() => undefined);
  log('worker stopped');
}

/** Handles the first server death: names it, stops everything registered and exits with 1. */
function exitOnServerDeath(log: (line: string) => void): (error: ServerDiedError) => void {
  let handled = false;
  return (error) => {
    // During a signal the registry is already stopping everything and will exit.
    if (handled || signalInProgress()) return;
    handled = true;
    log(`${error.message}; stopping the sandbox`);
    void stopAll().finally(() => process.exit(1));
  };
}
