// Creating the CAS resource and changing its spec.
import { backupAndProbesPatch, buildCasResource, type CasResourceOptions } from '../src/domain/cas-resource.ts';
import { createCas, getCas, jsonPatchCas, type CasObject } from './kube/cas-api.ts';
import { isConflict } from './kube/clients.ts';
import { recordCasEvent } from './kube/events.ts';
import type { ActivityDeps, CasTarget } from './deps.ts';
import { credentialKeys } from './credentials/store.ts';
import { permanent, PermanentFailure } from './errors.ts';

export interface EnableBackupInput extends CasTarget {
  imageRegistry: string;
  version: string;
  noBackup: boolean;
}

export function casResourceActivities({ kube, logger, credentials }: ActivityDeps) {
  return {
    /** Creates the CAS unless it exists; an existing one is left as it is. */
    async createCasResource(options: CasResourceOptions): Promise<{ created: boolean; image: string }> {
      const body = buildCasResource(options) as CasObject;
      const existing = await getCas(kube, options.namespace, options.name);
      if (existing) return { created: false, image: String(existing.spec.image) };
      try {
        await createCas(kube, body);
      } catch (error) {
        if (!isConflict(error)) throw error; // a retry after a lost response finds it created
        return { created: false, image: String(body.spec.image) };
      }
      logger.info({ namespace: options.namespace, cas: options.name, image: body.spec.image }, 'CAS resource created');
      await recordCasEvent(kube, {
        namespace: options.namespace,
        name: options.name,
        reason: 'CasflowCreated',
        message: `casflow created CAS with image ${String(body.spec.image)}`,
      });
      return { created: true, image: String(body.spec.image) };
    },

    /** Turns on probes and, unless noBackup, the backup controller; applying it twice changes nothing. */
    async enableBackupAndProbes(input: EnableBackupInput): Promise<{ backupController: boolean }> {
      const cas = await getCas(kube, input.namespace, input.name);
      if (!cas) {
        throw permanent(
          PermanentFailure.casNotFound,
          `CAS ${input.name} in namespace ${input.namespace} disappeared before backups could be enabled`,
        );
      }
      const current = cas.spec['backup-controller'] as Record<string, unknown> | undefined;
      await jsonPatchCas(kube, input.namespace, input.name, backupAndProbesPatch(current, input));
      // The last write of a provisioning: from now on a new run reports "already provisioned".
      const completeKey = credentialKeys.provisioningComplete(input.namespace, input.name);
      await credentials.write(completeKey, Buffer.from(cas.metadata.uid ?? ''));
      await recordCasEvent(kube, {
        namespace: input.namespace,
        name: input.name,
        reason: input.noBackup ? 'CasflowProbesEnabled' : 'CasflowBackupEnabled',
        message: input.noBackup
          ? 'casflow enabled liveness and startup probes (backup controller left disabled)'
          : 'casflow enabled the backup controller and liveness and startup probes',
      });
      return { backupController: !input.noBackup };
    },
  };
}
