// Worker configuration from the environment, validated once at start-up. A missing or malformed
// setting stops the process with its name; nothing falls back silently to a default endpoint.
import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { describeIssues } from '../src/domain/validation.ts';
import { DEFAULT_SIGNERS } from '../src/domain/tolerations.ts';
import { Duration } from '../src/domain/durations.ts';
import { CodecKeysError, parseCodecKeys } from '../src/temporal/codec.ts';

const HostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: 'must be host:port' });

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const CredentialStoreSetting = z.string().transform((value, ctx) => {
  const [kind, ...rest] = value.split(':');
  const where = rest.join(':');
  if (kind === 'secret' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(where))
    return { kind: 'secret' as const, namespace: where };
  if (kind === 'dir' && where.startsWith('/')) return { kind: 'dir' as const, path: where };
  ctx.addIssue({ code: 'custom', message: 'must be secret:<namespace> or dir:<absolute path>' });
  return z.NEVER;
});

const Settings = z.object({
  CASFLOW_TEMPORAL_ADDRESS: HostPort,
  CASFLOW_TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  CASFLOW_TASK_QUEUE: z.string().min(1).default('casflow'),
  CASFLOW_KUBECONFIG: z.string().min(1).optional(),
  CASFLOW_KUBE_IN_CLUSTER: z.enum(['true', 'false']).optional(),
  CASFLOW_SCONE_BIN: z.string().refine(executable, { message: 'must be the path of an executable scone CLI' }),
  CASFLOW_SCONE_TIMEOUT: Duration.default(120_000).refine((ms) => ms <= 150_000, {
    message: 'must be at most 2m30s, so a CLI call ends before its activity times out (3m)',
  }),
  CASFLOW_CREDENTIAL_STORE: CredentialStoreSetting,
  CASFLOW_PCS_URL: z.url({ protocol: /^https?$/ }).optional(),
  CASFLOW_ATTESTATION_SIGNERS: z
    .string()
    .default(DEFAULT_SIGNERS.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length > 0 && list.every((s) => /^[0-9a-f]{64}$/.test(s)), {
      message: 'must be a comma-separated list of 64-hex MRSIGNER values',
    }),
  CASFLOW_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  CASFLOW_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(200),
  // Checked by codecKeysProblem, which never shows the value; the worker parses it again at wiring.
  CASFLOW_CODEC_KEYS: z.string().optional(),
});

export const WorkerConfig = Settings.refine(
  (c) => c.CASFLOW_KUBECONFIG !== undefined || c.CASFLOW_KUBE_IN_CLUSTER === 'true',
  {
    message: 'set CASFLOW_KUBECONFIG to a kubeconfig file, or CASFLOW_KUBE_IN_CLUSTER=true inside a pod',
    path: ['CASFLOW_KUBECONFIG'],
  },
);
export type WorkerConfig = z.output<typeof WorkerConfig>;

export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

/** CASFLOW_* variables of casflow's other tools (test servers, sandbox, CLI), not the worker's. */
const OTHER_TOOLS = new Set([
  'CASFLOW_CACHE_DIR',
  'CASFLOW_TEMPORAL_BIN',
  'CASFLOW_ETCD_BIN',
  'CASFLOW_KUBE_APISERVER_BIN',
  'CASFLOW_KUBECTL_BIN',
  'CASFLOW_S3_BIN',
  'CASFLOW_SANDBOX_DIR',
  'CASFLOW_TEST_SERVERS',
  'CASFLOW_BENCH_RUNS',
  'CASFLOW_CODEC_SERVER_PORT',
  'CASFLOW_CODEC_SERVER_HOST',
  'CASFLOW_CODEC_SERVER_CORS_ORIGIN',
]);

/** Settings the CLI knows but the worker does not honour yet: refused, never silently dropped. */
const NOT_YET = [
  'CASFLOW_TEMPORAL_TLS',
  'CASFLOW_TEMPORAL_TLS_CA',
  'CASFLOW_TEMPORAL_TLS_CERT',
  'CASFLOW_TEMPORAL_TLS_KEY',
  'CASFLOW_TEMPORAL_API_KEY',
];

function unknownSettings(relevant: Record<string, string | undefined>): string[] {
  return Object.keys(relevant)
    .filter((key) => !(key in Settings.shape) && !OTHER_TOOLS.has(key))
    .map((key) =>
      NOT_YET.includes(key)
        ? `${key}: not supported by the worker yet (it connects to Temporal without TLS); unset it`
        : `${key}: unknown setting`,
    );
}

/** The key list's problem without its value: the setting holds key material. */
function codecKeysProblem(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    parseCodecKeys(value);
    return undefined;
  } catch (error) {
    if (!(error instanceof CodecKeysError)) throw error;
    return `CASFLOW_CODEC_KEYS: ${error.message} (value not shown)`;
  }
}

/** Reads the CASFLOW_* settings; throws WorkerConfigError naming every bad, unknown or missing one. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('CASFLOW_') && v !== ''));
  const parsed = WorkerConfig.safeParse(relevant);
  const problems = [...unknownSettings(relevant)];
  const codecKeys = codecKeysProblem(relevant.CASFLOW_CODEC_KEYS);
  if (codecKeys) problems.unshift(codecKeys);
  if (!parsed.success) problems.unshift(describeIssues(parsed.error, relevant));
  if (parsed.success && parsed.data.CASFLOW_KUBE_IN_CLUSTER === 'true') {
    if (parsed.data.CASFLOW_KUBECONFIG)
      problems.push('CASFLOW_KUBE_IN_CLUSTER: set either it or CASFLOW_KUBECONFIG, not both');
    if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) {
      problems.push(
        'CASFLOW_KUBE_IN_CLUSTER: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (not in a pod?)',
      );
    }
  }
  if (problems.length === 0 && parsed.success) return parsed.data;
  throw new WorkerConfigError(`Invalid worker configuration: ${problems.join('; ')}`);
}
