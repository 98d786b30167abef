// Step 1 of `provision cas`: everything that needs no server. Flags, environment, the owner config
// file and the Temporal and Kubernetes settings are all checked here, so a bad invocation fails fast.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ProvisionCasParams } from '../domain/provision-cas.ts';
import { buildProvisionInput, resolveSettings, type Settings } from './build-input.ts';
import type { CliIo } from './context.ts';
import type { Env } from './env-subst.ts';
import { inputSecretName } from './input-secret.ts';
import type { Output } from './output.ts';
import { readOwnerConfig } from './owner-config.ts';
import type { CliRequest } from './request.ts';
import { readTemporalConfig, type TemporalConfig } from './temporal-config.ts';

export interface ProvisionPlan {
  request: CliRequest;
  /** The workflow input; names the Secret but holds no secret. */
  input: ProvisionCasParams;
  /** Written to the input Secret only. */
  secrets: { dcapKey?: string; ownerConfig?: string };
  temporal: TemporalConfig;
  kubeConfig: KubeConfig;
}

/** The plugin exports these to envsubst; the owner config sees their effective values. */
function substitutionEnv(request: CliRequest, settings: Settings, env: Env): Env {
  return {
    ...env,
    NAME: request.name,
    NAMESPACE: request.namespace,
    VERSION: settings.version,
    IMAGE_REPO: settings.imageRegistry,
    ...(settings.dcapKey ? { DCAP_KEY: settings.dcapKey.value } : {}),
  };
}

function describe(out: Output, plan: ProvisionPlan, settings: Settings): void {
  const { input, temporal } = plan;
  out.detail(
    `CAS ${input.name} in namespace ${input.namespace}, version ${input.version}, registry ${input.imageRegistry}`,
  );
  out.detail(
    settings.dcapKey
      ? `DCAP key from ${settings.dcapKey.source} (value not shown)`
      : 'no DCAP key given: the worker uses the LAS key, else the all-zero key',
  );
  if (input.secrets) out.detail(`sensitive inputs go to Secret ${input.namespace}/${input.secrets.secretName}`);
  out.detail(`Temporal ${temporal.address}, namespace ${temporal.namespace}, task queue ${temporal.taskQueue}`);
}

export async function planProvision(request: CliRequest, io: CliIo, out: Output): Promise<ProvisionPlan> {
  const settings = resolveSettings(request, io.env);
  const ownerConfigPath = request.flags.ownerConfig;
  const needsSecret = settings.dcapKey !== undefined || ownerConfigPath !== undefined;
  const input = buildProvisionInput(request, settings, needsSecret ? inputSecretName(request.name) : undefined);

  const ownerConfig =
    ownerConfigPath === undefined
      ? undefined
      : await readOwnerConfig(ownerConfigPath, io.cwd ?? process.cwd(), substitutionEnv(request, settings, io.env));
  const temporal = readTemporalConfig(io.env);
  // Loaded late: the Kubernetes client is the slowest module to load.
  const { loadKubeConfig } = await import('./kube-config.ts');
  const kubeConfig = loadKubeConfig({ kubeconfig: request.kubeconfig, context: request.context, env: io.env });

  if (request.flags.target !== undefined) {
    out.warn("--target is ignored: casflow keeps the owner identity in the worker's credential store");
  }
  const plan = { request, input, secrets: { dcapKey: settings.dcapKey?.value, ownerConfig }, temporal, kubeConfig };
  describe(out, plan, settings);
  return plan;
}
