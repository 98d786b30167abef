// What every command gets: the process-like environment, the output, and the server access
// factories (real by default; tests and the lead's integration code may pass others).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Env } from './env-subst.ts';
import type { Program } from './help.ts';
import type { KubeAccess } from './kube-access.ts';
import type { Output, OutStream } from './output.ts';
import type { TemporalAccess } from './temporal-access.ts';
import type { TemporalConfig } from './temporal-config.ts';

export interface CliIo {
  env: Env;
  stdout: OutStream;
  stderr: OutStream;
  /** Directory relative paths (--owner-config) are resolved against; default process.cwd(). */
  cwd?: string;
  /** Aborted on Ctrl-C: stop following, leave the workflow running. */
  signal?: AbortSignal;
  /** `kubectl-provision` gets the words after "provision"; default casflow. */
  program?: Program;
}

export interface CliServices {
  connectTemporal(config: TemporalConfig): Promise<TemporalAccess>;
  kubeAccess(config: KubeConfig): Promise<KubeAccess>;
}

// Loaded on first use: the Kubernetes and Temporal clients take most of the start-up time, and
// a bad invocation should be reported without waiting for them.
export const defaultServices: CliServices = {
  connectTemporal: async (config) => (await import('./temporal-access.ts')).connectTemporal(config),
  kubeAccess: async (config) => (await import('./kube-access.ts')).kubeAccess(config),
};

export interface CliContext {
  io: CliIo;
  out: Output;
  services: CliServices;
  program: Program;
}
