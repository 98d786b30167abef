// The Kubernetes calls the CLI makes: does the namespace exist, and stage the sensitive inputs in a
// Secret casflow-input-<name>-<random> (or delete it again) so the workflow input only names it.
import { ApiException, CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { CliError } from './cli-error.ts';

/** Each call gives up after this long; an unreachable API server otherwise hangs on TCP retries. */
const CALL_TIMEOUT_MS = 20_000;

export interface InputSecretData {
  dcapKey?: string;
  ownerConfig?: string;
}

export interface KubeAccess {
  /** API server URL, for messages. */
  readonly server: string;
  /** Throws CliError `namespace "x" does not exist` (or why it could not be checked). */
  checkNamespace(namespace: string): Promise<void>;
  /** Creates or replaces the Secret; returns its name. */
  /** Creates the Secret `secretName` (a fresh name per start, see input-secret.ts). */
  writeInputSecret(namespace: string, secretName: string, data: InputSecretData): Promise<void>;
  /** Deletes it again; a Secret that is already gone is fine. */
  deleteInputSecret(namespace: string, secretName: string): Promise<void>;
}

function bodyMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.slice(0, 200) || undefined;
    }
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** One line describing a failed Kubernetes call: HTTP status and the server's message. */
export function describeKubeError(error: unknown): string {
  if (error instanceof ApiException) {
    return `HTTP ${error.code}${bodyMessage(error.body) ? `: ${bodyMessage(error.body)}` : ''}`;
  }
  const err = error as Error & { cause?: { code?: string; message?: string }; code?: string };
  return err.cause?.message ?? err.message ?? String(error);
}

function withTimeout<T>(what: string, server: string, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CliError(`${what}: the Kubernetes API at ${server} did not answer within ${CALL_TIMEOUT_MS / 1000}s`),
        ),
      CALL_TIMEOUT_MS,
    );
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

function isStatus(error: unknown, code: number): boolean {
  return error instanceof ApiException && error.code === code;
}

export function kubeAccess(config: KubeConfig): KubeAccess {
  const core = config.makeApiClient(CoreV1Api);
  const server = config.getCurrentCluster()?.server ?? '(unknown server)';

  return {
    server,

    async checkNamespace(namespace) {
      const what = `Cannot check namespace "${namespace}"`;
      try {
        await withTimeout(what, server, core.readNamespace({ name: namespace }));
      } catch (error) {
        if (error instanceof CliError) throw error;
        if (isStatus(error, 404)) throw new CliError(`namespace "${namespace}" does not exist`);
        throw new CliError(`${what} at ${server}: ${describeKubeError(error)}`, undefined, undefined, { cause: error });
      }
    },

    async writeInputSecret(namespace, name, data) {
      const encoded: Record<string, string> = {};
      if (data.dcapKey !== undefined) encoded.dcapKey = Buffer.from(data.dcapKey).toString('base64');
      if (data.ownerConfig !== undefined) encoded.ownerConfig = Buffer.from(data.ownerConfig).toString('base64');
      const body: V1Secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'casflow' } },
        type: 'Opaque',
        data: encoded,
      };
      const what = `Cannot write Secret ${namespace}/${name}`;
      try {
        await withTimeout(what, server, core.createNamespacedSecret({ namespace, body }));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`${what}: ${describeKubeError(error)}`, undefined, undefined, { cause: error });
      }
    },

    async deleteInputSecret(namespace, name) {
      const what = `Cannot delete Secret ${namespace}/${name}`;
      try {
        await withTimeout(what, server, core.deleteNamespacedSecret({ name, namespace }));
      } catch (error) {
        if (isStatus(error, 404)) return;
        if (error instanceof CliError) throw error;
        throw new CliError(`${what}: ${describeKubeError(error)}`, undefined, undefined, { cause: error });
      }
    },
  };
}
