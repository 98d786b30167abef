// Step 1 of provisioning: everything that must hold before casflow writes anything.
import type { CasStatus } from '../src/domain/cas-status.ts';
import { databasePvcOf } from '../src/domain/names.ts';
import { getCas } from './kube/cas-api.ts';
import { isNotFound } from './kube/clients.ts';
import type { ActivityDeps, CasTarget } from './deps.ts';
import { credentialKeys } from './credentials/store.ts';
import { permanent, PermanentFailure } from './errors.ts';

/** interrupted: provisioned with casflow's owner identity, but that run stopped before finishing. */
export type CasPresence = 'absent' | 'unprovisioned' | 'interrupted' | 'provisioned';

export interface PreconditionsResult {
  presence: CasPresence;
  status?: CasStatus;
}

export function preconditionActivities({ kube, credentials }: ActivityDeps) {
  async function requireNamespace(namespace: string): Promise<void> {
    try {
      await kube.core.readNamespace({ name: namespace });
    } catch (error) {
      if (isNotFound(error))
        throw permanent(PermanentFailure.namespaceNotFound, `Namespace "${namespace}" does not exist`);
      throw error;
    }
  }

  return {
    /** Namespace present; an existing CAS reported as it is; no leftover database volume for a new one. */
    async checkProvisionPreconditions({ namespace, name }: CasTarget): Promise<PreconditionsResult> {
      await requireNamespace(namespace);

      const cas = await getCas(kube, namespace, name);
      if (cas) {
        if (cas.status?.provisioned !== 'Yes') return { presence: 'unprovisioned', status: cas.status };
        // The CAS has an owner. If it is ours and our run stopped before its last write, resume;
        // otherwise (finished, or provisioned by someone else) report it and touch nothing.
        const [identity, complete] = await Promise.all([
          credentials.read(credentialKeys.ownerIdentity(namespace, name)),
          credentials.read(credentialKeys.provisioningComplete(namespace, name)),
        ]);
        const interrupted = identity !== undefined && complete?.toString('utf8') !== cas.metadata.uid;
        return { presence: interrupted ? 'interrupted' : 'provisioned', status: cas.status };
      }

      const pvc = databasePvcOf(name);
      try {
        await kube.core.readNamespacedPersistentVolumeClaim({ name: pvc, namespace });
      } catch (error) {
        if (isNotFound(error)) return { presence: 'absent' };
        throw error;
      }
      throw permanent(
        PermanentFailure.leftoverDatabaseVolume,
        `PersistentVolumeClaim ${pvc} in namespace ${namespace} is left over from an earlier CAS ${name}; ` +
          'delete it, or recover that CAS from it, before provisioning a new one',
      );
    },
  };
}
