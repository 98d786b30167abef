// The objects a CAS owns, shaped like what the SCONE operator's StatefulSet leaves behind:
// pod `<name>-0` (container `cas`), service `<name>`, PVC `database-<name>-0`.
// No kubelet, scheduler or garbage collector runs on the sandbox's API server, so this module also
// does their part: it picks the node, reports the pod Running and Ready, and deletes pod and service
// when the CAS goes. Like a StatefulSet, it never deletes the database PVC.
import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1OwnerReference,
  type V1PersistentVolumeClaim,
  type V1Pod,
  type V1Service,
  type V1ServicePort,
  type V1Toleration,
} from '@kubernetes/client-node';
import { SGX_ENCLAVE_RESOURCE } from '../nodes.ts';
import { CAS_API_VERSION, type CasObject, type CasSpec } from './cas-resource.ts';
import { ignoreGoneOrExists, orNotFound } from './kube-errors.ts';
import type { SgxNode } from './sgx-placement.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export const casLabels = (name: string): Record<string, string> => ({
  'app.kubernetes.io/instance': name,
  'app.kubernetes.io/name': 'cas',
});
export const casPodName = (name: string): string => `${name}-0`;
export const databasePvcName = (name: string): string => `database-${name}-0`;

export interface PodState {
  ready: boolean;
  image: string | undefined;
  nodeName: string | undefined;
}

function ownerReference(cas: CasObject): V1OwnerReference {
  return {
    apiVersion: CAS_API_VERSION,
    kind: 'CAS',
    name: cas.metadata.name,
    uid: cas.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Creates PVC `database-<name>-0` when persistence is enabled and reports it Bound (no provisioner runs). */
export async function ensureDatabasePvc(core: CoreV1Api, cas: CasObject, spec: CasSpec): Promise<void> {
  if (!spec.persistence.enabled) return;
  const { namespace, name } = cas.metadata;
  const pvcName = databasePvcName(name);
  if (await orNotFound(core.readNamespacedPersistentVolumeClaim({ name: pvcName, namespace }))) return;

  // No owner reference: a StatefulSet's volume claims outlive it, and the plugin relies on that
  // (it refuses to create a CAS while `database-<name>-0` exists).
  const body: V1PersistentVolumeClaim = {
    metadata: { name: pvcName, namespace, labels: casLabels(name) },
    spec: {
      accessModes: spec.persistence.accessModes,
      resources: { requests: { storage: spec.persistence.size } },
      ...(spec.persistence.storageClass ? { storageClassName: spec.persistence.storageClass } : {}),
    },
  };
  await ignoreGoneOrExists(core.createNamespacedPersistentVolumeClaim({ namespace, body }));
  const status = {
    phase: 'Bound',
    accessModes: spec.persistence.accessModes,
    capacity: { storage: spec.persistence.size },
  };
  await core.patchNamespacedPersistentVolumeClaimStatus({ name: pvcName, namespace, body: { status } }, mergePatch);
}

/**
 * Makes pod `<name>-0` run `spec.image` on `node`. A pod with another image, owner or no node is
 * replaced, as a StatefulSet rolling update replaces it.
 */
export async function ensureCasPod(
  core: CoreV1Api,
  cas: CasObject,
  spec: CasSpec,
  node: SgxNode | undefined,
): Promise<PodState> {
  const { namespace, name } = cas.metadata;
  const podName = casPodName(name);
  let pod = await orNotFound(core.readNamespacedPod({ name: podName, namespace }));

  const stale =
    pod &&
    (pod.spec?.containers[0]?.image !== spec.image ||
      !pod.metadata?.ownerReferences?.some((o) => o.uid === cas.metadata.uid) ||
      (!pod.spec?.nodeName && node !== undefined));
  if (pod && stale) {
    await deletePodNow(core, namespace, podName);
    pod = undefined;
  }
  if (!pod) pod = await core.createNamespacedPod({ namespace, body: podManifest(cas, spec, node) });

  if (pod.spec?.nodeName && !isReady(pod)) {
    pod = await core.patchNamespacedPodStatus(
      { name: podName, namespace, body: { status: runningStatus(spec) } },
      mergePatch,
    );
  } else if (!pod.spec?.nodeName && pod.status?.conditions?.[0]?.reason !== 'Unschedulable') {
    pod = await core.patchNamespacedPodStatus(
      { name: podName, namespace, body: { status: unschedulableStatus() } },
      mergePatch,
    );
  }
  return { ready: isReady(pod), image: pod.spec?.containers[0]?.image, nodeName: pod.spec?.nodeName };
}

function podManifest(cas: CasObject, spec: CasSpec, node: SgxNode | undefined): V1Pod {
  const { namespace, name } = cas.metadata;
  const limits = { ...(spec.resources?.limits as Record<string, string> | undefined), [SGX_ENCLAVE_RESOURCE]: '1' };
  const database = spec.persistence.enabled
    ? { name: 'database', persistentVolumeClaim: { claimName: databasePvcName(name) } }
    : { name: 'database', emptyDir: {} };
  return {
    metadata: {
      name: casPodName(name),
      namespace,
      labels: casLabels(name),
      ...(spec.podAnnotations ? { annotations: spec.podAnnotations } : {}),
      ownerReferences: [ownerReference(cas)],
    },
    spec: {
      ...(node ? { nodeName: node.name } : {}),
      hostname: casPodName(name),
      subdomain: name,
      nodeSelector: spec.nodeSelector,
      tolerations: spec.tolerations as V1Toleration[],
      imagePullSecrets: spec.imagePullSecrets,
      containers: [
        {
          name: 'cas',
          image: spec.image,
          imagePullPolicy: spec.imagePullPolicy,
          ports: [
            { name: 'client', containerPort: spec.service.clientPort },
            { name: 'enclave', containerPort: spec.service.enclavePort },
          ],
          resources: { ...spec.resources, limits },
          volumeMounts: [{ name: 'database', mountPath: spec.persistence.mountPath }],
        },
      ],
      volumes: [database],
    },
  };
}

function runningStatus(spec: CasSpec): object {
  const now = new Date().toISOString();
  const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
  return {
    phase: 'Running',
    hostIP: '127.0.0.1',
    podIP: '127.0.0.1',
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(condition),
    containerStatuses: [
      {
        name: 'cas',
        image: spec.image,
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      },
    ],
  };
}

function unschedulableStatus(): object {
  const condition = {
    type: 'PodScheduled',
    status: 'False',
    reason: 'Unschedulable',
    message: 'no SGX node matches the CAS nodeSelector and tolerations',
    lastTransitionTime: new Date().toISOString(),
  };
  return { phase: 'Pending', conditions: [condition] };
}

const isReady = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' && !!pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** Creates or updates service `<name>` with the client and enclave ports of spec.service. */
export async function ensureCasService(core: CoreV1Api, cas: CasObject, spec: CasSpec): Promise<void> {
  const { namespace, name } = cas.metadata;
  const { type, clientPort, enclavePort, nodePorts, loadBalancerIP, annotations } = spec.service;
  const port = (portName: string, value: number, nodePort: number | undefined): V1ServicePort => ({
    name: portName,
    port: value,
    targetPort: value,
    protocol: 'TCP',
    ...(type !== 'ClusterIP' && nodePort ? { nodePort } : {}),
  });
  const ports = [
    port('client', clientPort, nodePorts?.clientPort),
    port('enclave', enclavePort, nodePorts?.enclavePort),
  ];
  const existing = await orNotFound(core.readNamespacedService({ name, namespace }));

  if (!existing) {
    const body: V1Service = {
      metadata: { name, namespace, labels: casLabels(name), ownerReferences: [ownerReference(cas)], annotations },
      spec: { type, ports, selector: casLabels(name), ...(loadBalancerIP ? { loadBalancerIP } : {}) },
    };
    await ignoreGoneOrExists(core.createNamespacedService({ namespace, body }));
    return;
  }
  if (serviceMatches(existing, type, ports)) return;
  await core.patchNamespacedService({ name, namespace, body: { spec: { type, ports } } }, mergePatch);
}

function serviceMatches(svc: V1Service, type: string, ports: V1ServicePort[]): boolean {
  if (svc.spec?.type !== type) return false;
  const have = svc.spec.ports ?? [];
  return (
    have.length === ports.length &&
    ports.every((p) => {
      const h = have.find((x) => x.name === p.name);
      return h && h.port === p.port && (p.nodePort === undefined || h.nodePort === p.nodePort);
    })
  );
}

/** Deletes pod `<name>-0` and service `<name>` if a CAS named `name` owns them; the PVC stays. */
export async function deleteOwnedObjects(core: CoreV1Api, namespace: string, name: string): Promise<void> {
  const ownedByCas = (o: { metadata?: { ownerReferences?: V1OwnerReference[] } } | undefined) =>
    o?.metadata?.ownerReferences?.some((r) => r.kind === 'CAS' && r.name === name) ?? false;

  const pod = await orNotFound(core.readNamespacedPod({ name: casPodName(name), namespace }));
  if (ownedByCas(pod)) await deletePodNow(core, namespace, casPodName(name));
  const svc = await orNotFound(core.readNamespacedService({ name, namespace }));
  if (ownedByCas(svc)) await ignoreGoneOrExists(core.deleteNamespacedService({ name, namespace }));
}

// A bound pod waits for its kubelet to confirm a graceful deletion; nothing here would, so delete at once.
async function deletePodNow(core: CoreV1Api, namespace: string, name: string): Promise<void> {
  await ignoreGoneOrExists(core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }));
}
