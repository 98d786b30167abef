// Kubernetes Events on the CAS, one per visible step, so `kubectl describe cas` tells the story.
import type { CoreV1Event } from '@kubernetes/client-node';
import { CAS_GROUP, CAS_VERSION, getCas } from './cas-api.ts';
import type { KubeClients } from './clients.ts';

export interface CasEvent {
  namespace: string;
  name: string;
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
}

/** Records an Event on the CAS. Best effort: a failure to record never fails the step itself. */
export async function recordCasEvent(kube: KubeClients, event: CasEvent): Promise<boolean> {
  try {
    const cas = await getCas(kube, event.namespace, event.name);
    if (!cas) return false;
    const now = new Date();
    const body: CoreV1Event = {
      metadata: { generateName: `${event.name}.casflow.`, namespace: event.namespace },
      involvedObject: {
        apiVersion: `${CAS_GROUP}/${CAS_VERSION}`,
        kind: 'CAS',
        name: event.name,
        namespace: event.namespace,
        uid: cas.metadata.uid,
      },
      reason: event.reason,
      message: event.message.slice(0, 1024),
      type: event.type ?? 'Normal',
      source: { component: 'casflow' },
      reportingComponent: 'casflow',
      reportingInstance: 'casflow-worker',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    await kube.core.createNamespacedEvent({ namespace: event.namespace, body });
    return true;
  } catch {
    return false;
  }
}
