// Which SGX nodes a CAS can use: the scheduler's taint and nodeSelector rules, applied by hand
// because no scheduler runs on the sandbox's API server.
import type { V1Node, V1Taint } from '@kubernetes/client-node';
import { NEVER_REGISTERS_ANNOTATION, SGX_CAPABLE_LABEL } from '../nodes.ts';
import type { Toleration } from './cas-resource.ts';

export interface SgxNode {
  name: string;
  /** Fault: the backup controller never registers a backup on this node. */
  neverRegisters: boolean;
  labels: Record<string, string>;
}

/** Schedulable `sgx.intel.com/capable=true` nodes whose NoSchedule/NoExecute taints `tolerations` tolerate. */
export function migratableNodes(nodes: V1Node[], tolerations: Toleration[]): SgxNode[] {
  return nodes
    .filter((n) => n.metadata?.labels?.[SGX_CAPABLE_LABEL] === 'true' && !n.spec?.unschedulable)
    .filter((n) => (n.spec?.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerated(t, tolerations)))
    .map((n) => ({
      name: n.metadata!.name!,
      neverRegisters: n.metadata?.annotations?.[NEVER_REGISTERS_ANNOTATION] === 'true',
      labels: n.metadata?.labels ?? {},
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The node for pod `<cas>-0`: one of the migratable nodes matching `nodeSelector`, spread by a stable hash. */
export function placeCasPod(nodes: SgxNode[], nodeSelector: Record<string, string>, key: string): SgxNode | undefined {
  const fitting = nodes.filter((n) => Object.entries(nodeSelector).every(([k, v]) => n.labels[k] === v));
  if (fitting.length === 0) return undefined;
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return fitting[hash % fitting.length];
}

function tolerated(taint: V1Taint, tolerations: Toleration[]): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}
