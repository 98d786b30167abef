// The environment a casflow worker needs to run against the sandbox: real servers plus stand-ins.
// The attestation signers stay at their production default: the stand-in CAS is signed like
// Scontain's standard images, so the first signer is refused and the second accepted, which is
// the plugin's own retry path.
import type { KubeServer, TemporalServer } from './servers/index.ts';
import type { StandIns } from './standins.ts';

export interface SandboxWorkerEnvOptions {
  kube: KubeServer;
  temporal: TemporalServer;
  standIns: StandIns;
  /** Credential store: a 0700 directory (dir:) or Secrets in a namespace (secret:). */
  credentialStore: string;
  taskQueue?: string;
  logLevel?: string;
}

export function sandboxWorkerEnv(options: SandboxWorkerEnvOptions): Record<string, string> {
  return {
    CASFLOW_TEMPORAL_ADDRESS: options.temporal.address,
    CASFLOW_TEMPORAL_NAMESPACE: options.temporal.namespace,
    CASFLOW_TASK_QUEUE: options.taskQueue ?? 'casflow',
    CASFLOW_KUBECONFIG: options.kube.kubeconfigPath,
    CASFLOW_SCONE_BIN: options.standIns.sconeBin,
    CASFLOW_CREDENTIAL_STORE: options.credentialStore,
    CASFLOW_PCS_URL: options.standIns.pcs.url,
    CASFLOW_LOG_LEVEL: options.logLevel ?? 'info',
  };
}
