// Resolves the DCAP key the way the plugin does (input, then LAS spec.dcapKey, then the all-zero
// key with a warning), checks it with PCS, and keeps it in the credential store. The key itself
// never leaves this activity: the result says only where it came from.
import type { InputSecretRef } from '../src/domain/provision-cas.ts';
import { isWellFormedDcapKey, ZERO_DCAP_KEY, type DcapKeySource } from '../src/domain/dcap.ts';
import { isNotFound, statusCodeOf } from './kube/clients.ts';
import { credentialKeys } from './credentials/store.ts';
import type { ActivityDeps, CasTarget } from './deps.ts';
import { permanent, PermanentFailure } from './errors.ts';

export interface ResolveDcapKeyInput extends CasTarget {
  secrets?: InputSecretRef;
}

export interface ResolveDcapKeyResult {
  source: DcapKeySource;
  ownerConfig: 'input' | 'generated';
  warning?: string;
}

const PCS_CHECK_PATH = '/sgx/certification/v4/qe/identity';

export function dcapKeyActivities({ kube, credentials, pcsUrl }: ActivityDeps) {
  async function readInputSecret(namespace: string, ref: InputSecretRef) {
    try {
      const secret = await kube.core.readNamespacedSecret({ name: ref.secretName, namespace });
      const field = (key: string) => {
        const data = secret.data?.[key];
        return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
      };
      return {
        dcapKey: field(ref.dcapKeyField ?? 'dcapKey'),
        ownerConfig: field(ref.ownerConfigField ?? 'ownerConfig'),
      };
    } catch (error) {
      if (isNotFound(error)) {
        throw permanent(
          PermanentFailure.invalidInput,
          `secrets.secretName: Secret "${ref.secretName}" does not exist in namespace ${namespace}`,
        );
      }
      if (statusCodeOf(error) === 403) {
        // Retrying cannot help: the worker's service account lacks the per-namespace binding.
        throw permanent(
          PermanentFailure.invalidInput,
          `secrets.secretName: the casflow worker may not read Secret "${ref.secretName}" in namespace ` +
            `${namespace}; bind ClusterRole casflow-worker-input-secrets in that namespace (docs/deploy.md)`,
        );
      }
      throw error;
    }
  }

  async function readLasKey(): Promise<string | undefined> {
    try {
      const las = (await kube.custom.getClusterCustomObject({
        group: 'base.scone.cloud',
        version: 'v1beta1',
        plural: 'las',
        name: 'las',
      })) as { spec?: { dcapKey?: unknown } };
      const key = las.spec?.dcapKey;
      return typeof key === 'string' && key !== '' ? key : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined; // no LAS resource definition or no instance
      throw error;
    }
  }

  async function checkWithPcs(key: string, source: DcapKeySource): Promise<void> {
    if (!pcsUrl || key === ZERO_DCAP_KEY) return;
    const response = await fetch(new URL(PCS_CHECK_PATH.slice(1), `${pcsUrl.replace(/\/$/, '')}/`), {
      headers: { 'Ocp-Apim-Subscription-Key': key },
      signal: AbortSignal.timeout(15_000),
    });
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) {
      throw permanent(
        PermanentFailure.dcapKeyRejected,
        `The DCAP key (from ${sourceText(source)}) was refused by Intel PCS (HTTP ${response.status})`,
      );
    }
    if (!response.ok) throw new Error(`Intel PCS answered HTTP ${response.status} to the DCAP key check`);
  }

  return {
    async resolveDcapKey({ namespace, name, secrets }: ResolveDcapKeyInput): Promise<ResolveDcapKeyResult> {
      const fromInput = secrets ? await readInputSecret(namespace, secrets) : undefined;
      let source: DcapKeySource = 'input';
      let key = fromInput?.dcapKey?.trim();
      if (!key) {
        source = 'las';
        key = (await readLasKey())?.trim();
      }
      let warning: string | undefined;
      if (!key) {
        source = 'default';
        key = ZERO_DCAP_KEY;
        warning =
          'No DCAP key was given and LAS "las" has none: using the all-zero key, which works only where the ' +
          'cloud provider serves DCAP collateral (Azure)';
      }
      if (!isWellFormedDcapKey(key)) {
        throw permanent(
          PermanentFailure.invalidInput,
          `dcapKey (from ${sourceText(source)}): must be 32 hexadecimal characters (value not shown)`,
        );
      }
      await checkWithPcs(key, source);

      await credentials.write(credentialKeys.dcapKey(namespace, name), Buffer.from(key));
      const ownerConfigKey = credentialKeys.ownerConfig(namespace, name);
      if (fromInput?.ownerConfig) await credentials.write(ownerConfigKey, Buffer.from(fromInput.ownerConfig));
      else await credentials.remove(ownerConfigKey);
      return { source, ownerConfig: fromInput?.ownerConfig ? 'input' : 'generated', warning };
    },
  };
}

function sourceText(source: DcapKeySource): string {
  if (source === 'input') return 'the input Secret';
  if (source === 'las') return 'LAS "las" spec.dcapKey';
  return 'the default';
}
