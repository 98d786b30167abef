// Reading and writing the SCONE `CAS` custom resource (services.scone.cloud/v1beta1).
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { CasStatus } from '../../src/domain/cas-status.ts';
import { isNotFound, type KubeClients } from './clients.ts';

export const CAS_GROUP = 'services.scone.cloud';
export const CAS_VERSION = 'v1beta1';
export const CAS_PLURAL = 'cas';

export interface CasObject {
  apiVersion: string;
  kind: 'CAS';
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: CasStatus;
}

const target = (namespace: string, name: string) => ({
  group: CAS_GROUP,
  version: CAS_VERSION,
  plural: CAS_PLURAL,
  namespace,
  name,
});

export async function getCas(kube: KubeClients, namespace: string, name: string): Promise<CasObject | undefined> {
  try {
    return (await kube.custom.getNamespacedCustomObject(target(namespace, name))) as CasObject;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function createCas(kube: KubeClients, body: CasObject): Promise<CasObject> {
  const { namespace } = body.metadata;
  return (await kube.custom.createNamespacedCustomObject({
    group: CAS_GROUP,
    version: CAS_VERSION,
    plural: CAS_PLURAL,
    namespace,
    body,
  })) as CasObject;
}

/** One JSON Patch operation (RFC 6902); `add` replaces an existing member, so patches are idempotent. */
export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

export async function jsonPatchCas(kube: KubeClients, namespace: string, name: string, ops: JsonPatchOp[]) {
  return (await kube.custom.patchNamespacedCustomObject(
    { ...target(namespace, name), body: ops },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  )) as CasObject;
}

/** API path of the CAS collection, for watches. */
export const casCollectionPath = (namespace: string) =>
  `/apis/${CAS_GROUP}/${CAS_VERSION}/namespaces/${namespace}/${CAS_PLURAL}`;
