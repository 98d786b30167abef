// One sandbox per test file: the harness's real servers, fresh stand-ins, a Temporal client, and
// casflow workers in this process or as child processes (for crash tests).
import { mkdtemp, mkdir } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { KubeConfig } from '@kubernetes/client-node';
import { useTestServers, kubeConfigFor, type TestServers } from '../../src/sandbox/servers/index.ts';
import { startStandIns, type StandIns } from '../../src/sandbox/standins.ts';
import { sandboxWorkerEnv } from '../../src/sandbox/worker-env.ts';
import { loadWorkerConfig } from '../../worker/config.ts';
import { createCasflowWorker } from '../../worker/create-worker.ts';
import { createLogger } from '../../worker/logger.ts';

const WORKER_MAIN = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));

export interface Sandbox {
  servers: TestServers;
  standIns: StandIns;
  kubeConfig: KubeConfig;
  client: Client;
  /** A directory private to this test file. */
  dir: string;
  workerEnv(taskQueue: string): Record<string, string>;
  /** Runs a worker in this process until the returned stop() is called. */
  startWorker(taskQueue: string): Promise<{ stop(): Promise<void>; logFile: string }>;
  /** Runs a worker as a child process (node worker/main.ts); its log goes to logFile. */
  spawnWorker(taskQueue: string, name: string): Promise<{ child: ChildProcess; logFile: string }>;
  stop(): Promise<void>;
}

/** Keeps the SDK's own INFO lines out of test output; installed once, before any worker exists. */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by an earlier call in this process
  }
}

export interface SandboxOptions {
  timeScale?: number;
  /** Worker credential store; default a 0700 directory private to the test file (dir:<dir>/credentials). */
  credentialStore?: string;
}

export async function useSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  quietRuntime();
  const servers = await useTestServers();
  const dir = await mkdtemp(join(servers.stateDir, 'sandbox-'));
  const standIns = await startStandIns({ kube: servers.kube, stateDir: dir, timeScale: options.timeScale });
  const connection = await Connection.connect({ address: servers.temporal.address });
  const client = new Client({ connection, namespace: servers.temporal.namespace });
  const credentialDir = join(dir, 'credentials');
  await mkdir(credentialDir, { recursive: true, mode: 0o700 });
  const stops: (() => Promise<void>)[] = [];

  const workerEnv = (taskQueue: string) =>
    sandboxWorkerEnv({
      kube: servers.kube,
      temporal: servers.temporal,
      standIns,
      credentialStore: options.credentialStore ?? `dir:${credentialDir}`,
      taskQueue,
      logLevel: 'debug',
    });

  return {
    servers,
    standIns,
    kubeConfig: kubeConfigFor(servers.kube),
    client,
    dir,
    workerEnv,

    async startWorker(taskQueue) {
      const logFile = join(dir, `worker-${taskQueue}.log`);
      const config = loadWorkerConfig(workerEnv(taskQueue));
      const logger = createLogger('debug', createWriteStream(logFile));
      const casflow = await createCasflowWorker(config, logger);
      const running = casflow.run();
      const stop = async () => {
        if (casflow.worker.getState() === 'RUNNING') casflow.worker.shutdown();
        await running;
      };
      stops.push(stop);
      return { stop, logFile };
    },

    async spawnWorker(taskQueue, name) {
      const logFile = join(dir, `worker-${name}.log`);
      const log = createWriteStream(logFile, { flags: 'a' });
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...workerEnv(taskQueue) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
      // Ready once the worker logs that it started polling.
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        const onData = (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes('worker started')) {
            child.stdout!.off('data', onData);
            resolve();
          }
        };
        child.stdout!.on('data', onData);
        child.once('exit', (code) =>
          reject(new Error(`worker ${name} exited with ${code} before starting; see ${logFile}`)),
        );
      });
      stops.push(async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
        }
      });
      return { child, logFile };
    },

    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => {});
      await connection.close();
      await standIns.stop();
    },
  };
}
