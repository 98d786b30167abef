// Credential store in Kubernetes Secrets of one namespace (e.g. casflow-system), one Secret per key.
import type { V1Secret } from '@kubernetes/client-node';
import { isConflict, isNotFound, type KubeClients } from '../kube/clients.ts';
import { checkCredentialKey, type CredentialStore } from './store.ts';

const FIELD = 'value';

export class SecretCredentialStore implements CredentialStore {
  constructor(
    private readonly kube: KubeClients,
    readonly namespace: string,
  ) {}

  /** cas/ns/name/owner-identity -> casflow-cas.ns.name.owner-identity (a valid Secret name). */
  secretName(key: string): string {
    return `casflow-${checkCredentialKey(key).replaceAll('/', '.')}`;
  }

  describe(key: string): string {
    return `secret ${this.namespace}/${this.secretName(key)}`;
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      const secret = await this.kube.core.readNamespacedSecret({
        name: this.secretName(key),
        namespace: this.namespace,
      });
      const data = secret.data?.[FIELD];
      return data === undefined ? undefined : Buffer.from(data, 'base64');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async write(key: string, value: Buffer): Promise<void> {
    const name = this.secretName(key);
    const body: V1Secret = {
      metadata: { name, namespace: this.namespace, labels: { 'app.kubernetes.io/managed-by': 'casflow' } },
      type: 'Opaque',
      data: { [FIELD]: value.toString('base64') },
    };
    try {
      await this.kube.core.createNamespacedSecret({ namespace: this.namespace, body });
    } catch (error) {
      if (!isConflict(error)) throw error;
      await this.kube.core.replaceNamespacedSecret({ name, namespace: this.namespace, body });
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await this.kube.core.deleteNamespacedSecret({ name: this.secretName(key), namespace: this.namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
