// The Secret the CLI stages sensitive inputs in; removed once provisioning has copied them.
import { isNotFound } from './kube/clients.ts';
import type { ActivityDeps } from './deps.ts';

export function inputSecretActivities({ kube }: ActivityDeps) {
  return {
    async deleteInputSecret({ namespace, secretName }: { namespace: string; secretName: string }): Promise<boolean> {
      try {
        await kube.core.deleteNamespacedSecret({ name: secretName, namespace });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
  };
}
