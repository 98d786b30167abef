// Reads what the CAS prints at start-up: its key hash and its one-time provisioning token.
import type { KubeClients } from './clients.ts';

export interface CasStartupLines {
  keyHash?: string;
  provisioningToken?: string;
}

/** Finds the last "CAS key hash" and "CAS provisioning token" lines; the value is the last field. */
export function parseCasStartupLines(log: string): CasStartupLines {
  const found: CasStartupLines = {};
  for (const line of log.split('\n')) {
    const last = line.trim().split(/\s+/).pop();
    if (!last) continue;
    if (line.includes('CAS key hash')) found.keyHash = last;
    else if (line.includes('CAS provisioning token')) found.provisioningToken = last;
  }
  return found;
}

export async function readCasLog(kube: KubeClients, namespace: string, podName: string): Promise<string> {
  return kube.core.readNamespacedPodLog({ name: podName, namespace, container: 'cas', limitBytes: 1_048_576 });
}
