// Wires a casflow worker: Kubernetes clients, credential store, scone CLI, activities, Temporal.
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities/index.ts';
import { createKubeClients, type KubeClients } from '../activities/kube/clients.ts';
import { DirectoryCredentialStore } from '../activities/credentials/directory-store.ts';
import { SecretCredentialStore } from '../activities/credentials/secret-store.ts';
import type { CredentialStore } from '../activities/credentials/store.ts';
import { AesGcmPayloadCodec } from '../src/temporal/codec.ts';
import type { WorkerConfig } from './config.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Environment the scone CLI inherits: enough to run, nothing of the worker's own settings. */
function sconeBaseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TMPDIR', 'SCONE_MODE', 'SCONE_PRODUCTION', 'SCONE_CLI_RETRIES'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

export function kubeConfigFrom(config: WorkerConfig): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (config.CASFLOW_KUBECONFIG) kubeConfig.loadFromFile(config.CASFLOW_KUBECONFIG);
  else kubeConfig.loadFromCluster();
  return kubeConfig;
}

function credentialStoreFrom(config: WorkerConfig, kube: KubeClients): CredentialStore {
  const setting = config.CASFLOW_CREDENTIAL_STORE;
  return setting.kind === 'secret'
    ? new SecretCredentialStore(kube, setting.namespace)
    : new DirectoryCredentialStore(setting.path);
}

export interface CasflowWorker {
  worker: Worker;
  connection: NativeConnection;
  /** Runs until shutdown() (or a fatal error), then closes the connection. */
  run(): Promise<void>;
}

export async function createCasflowWorker(config: WorkerConfig, logger: Logger): Promise<CasflowWorker> {
  const kube = createKubeClients(kubeConfigFrom(config));
  const activities = createActivities({
    kube,
    credentials: credentialStoreFrom(config, kube),
    scone: { bin: config.CASFLOW_SCONE_BIN, baseEnv: sconeBaseEnv(), timeoutMs: config.CASFLOW_SCONE_TIMEOUT },
    signers: config.CASFLOW_ATTESTATION_SIGNERS,
    pcsUrl: config.CASFLOW_PCS_URL,
    logger,
  });

  const codec = config.CASFLOW_CODEC_KEYS ? await AesGcmPayloadCodec.fromSetting(config.CASFLOW_CODEC_KEYS) : undefined;
  const connection = await NativeConnection.connect({ address: config.CASFLOW_TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.CASFLOW_TEMPORAL_NAMESPACE,
    taskQueue: config.CASFLOW_TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities,
    dataConverter: codec ? { payloadCodecs: [codec] } : undefined,
    maxCachedWorkflows: config.CASFLOW_MAX_CACHED_WORKFLOWS,
    // In-flight activities get this long to finish on SIGTERM before they are cancelled.
    shutdownGraceTime: '10s',
    shutdownForceTime: '30s',
  });
  return {
    worker,
    connection,
    async run() {
      try {
        await worker.run();
      } finally {
        await connection.close();
      }
    },
  };
}
