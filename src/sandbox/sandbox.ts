// The whole sandbox on one machine: the real servers (Temporal with its Web UI, etcd +
// kube-apiserver, versitygw), the SCONE stand-ins and a casflow worker, for `npm run sandbox`
// and `npm run demo`.
// Steps: 1. build or find the server binaries and start the servers; 2. start the stand-ins;
// 3. start a worker (in this process) with a directory credential store; 4. write env.sh.
// stop() undoes them in reverse order; Ctrl-C does the same through the process registry.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startTestServers, type TestServers } from './servers/index.ts';
import { startStandIns, type StandIns } from './standins.ts';
import { sandboxWorkerEnv } from './worker-env.ts';
import { track, untrack, type Stoppable } from './process-registry.ts';
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
  const servers = await startTestServers({ temporalUi: true, log });
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
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const workerLog = join(workDir, 'worker.log');
  const worker = await createCasflowWorker(loadWorkerConfig(env), createLogger('info', createWriteStream(workerLog)));
  const running = worker.run();

  const cliEnv = {
    KUBECONFIG: servers.kube.kubeconfigPath,
    CASFLOW_TEMPORAL_ADDRESS: servers.temporal.address,
    CASFLOW_TEMPORAL_NAMESPACE: servers.temporal.namespace,
    CASFLOW_TASK_QUEUE: env.CASFLOW_TASK_QUEUE!,
  };
  const envFile = join(workDir, 'env.sh');
  const lines = Object.entries(cliEnv).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`);
  await writeFile(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      untrack(entry);
      if (worker.worker.getState() === 'RUNNING') worker.worker.shutdown();
      await running.catch(() => undefined);
      await standIns.stop();
      await servers.stop();
    })());
  // Rank below the servers' (0.5): the worker and stand-ins go before the servers they use.
  const entry: Stoppable = { label: 'sandbox worker and stand-ins', stopRank: 0.25, stop, killNow: () => undefined };
  track(entry);

  return { servers, standIns, env: { ...env, ...cliEnv }, envFile, workerLog, stop };
}
