// SGX Node objects and the LAS instance `las`, as operator_controller and the SGX plugin leave them.
// Steps of createSgxNodes:
//   1. create (or relabel) N Nodes labelled SGX-capable and LAS-ready;
//   2. patch each Node's status: Ready, InternalIP 127.0.0.1, the kubelet stand-in's port, allocatable SGX EPC;
// Steps of ensureLas:
//   1. create (or update) LAS `las` with spec.dcapKey;
//   2. write its status with one publicKey per node.
// No kubelet or node controller runs, so nothing ever changes these objects behind our back.
import { createHash } from 'node:crypto';
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Node,
} from '@kubernetes/client-node';
import { LAS_GROUP, SCONE_VERSION } from './crds.ts';
import { isApiStatus } from './operator/kube-errors.ts';

export const SGX_CAPABLE_LABEL = 'sgx.intel.com/capable';
export const LAS_OK_LABEL = 'las.scontain.com/ok';
export const SGX_ENCLAVE_RESOURCE = 'sgx.intel.com/enclave';
export const NEVER_REGISTERS_ANNOTATION = 'sandbox.casflow.dev/never-registers';
/** The DCAP key operator_controller falls back to without --dcap-api: cloud-cache mode. */
export const ZERO_DCAP_KEY = '0'.repeat(32);

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export interface SgxNodesOptions {
  /** Port of the kubelet stand-in's HTTPS endpoint; the API server proxies pod logs there. */
  kubeletPort: number;
  /** Number of nodes (default 3, the minimum scontain/scone's CAS.md asks for). */
  count?: number;
  /** Node name prefix (default `sgx-node-`, numbered from 1). */
  namePrefix?: string;
  /** Allocatable `sgx.intel.com/enclave` per node (default 20). */
  enclaves?: number;
}

/** Creates the SGX Nodes (idempotent) and returns their names. */
export async function createSgxNodes(kc: KubeConfig, opts: SgxNodesOptions): Promise<string[]> {
  const api = kc.makeApiClient(CoreV1Api);
  const count = opts.count ?? 3;
  const names = Array.from({ length: count }, (_, i) => `${opts.namePrefix ?? 'sgx-node-'}${i + 1}`);

  for (const name of names) {
    await ensureNode(api, name);
    await api.patchNodeStatus({ name, body: nodeStatus(opts) }, mergePatch);
    await dropConditionTaints(api, name);
  }
  return names;
}

// The TaintNodesByCondition admission plugin taints every new Node `node.kubernetes.io/not-ready`;
// the node lifecycle controller that would lift it once Ready does not run here.
async function dropConditionTaints(api: CoreV1Api, name: string): Promise<void> {
  const node = await api.readNode({ name });
  const taints = node.spec?.taints ?? [];
  const kept = taints.filter((t) => !t.key.startsWith('node.kubernetes.io/'));
  if (kept.length === taints.length) return;
  await api.patchNode({ name, body: { spec: { taints: kept.length > 0 ? kept : null } } }, mergePatch);
}

async function ensureNode(api: CoreV1Api, name: string): Promise<void> {
  const labels = { [SGX_CAPABLE_LABEL]: 'true', [LAS_OK_LABEL]: 'true', 'kubernetes.io/hostname': name };
  const body: V1Node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } };
  try {
    await api.createNode({ body });
  } catch (err) {
    if (!isApiStatus(err, 409)) throw err;
    await api.patchNode({ name, body: { metadata: { labels } } }, mergePatch);
  }
}

function nodeStatus(opts: SgxNodesOptions): object {
  const now = new Date().toISOString();
  const resources = { cpu: '8', memory: '32Gi', pods: '110', [SGX_ENCLAVE_RESOURCE]: String(opts.enclaves ?? 20) };
  return {
    status: {
      capacity: resources,
      allocatable: resources,
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: 'localhost' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: opts.kubeletPort } },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet stand-in is posting ready status',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'casflow sandbox',
        kernelVersion: 'sandbox',
        kubeletVersion: 'v1.36.3',
        kubeProxyVersion: '',
        containerRuntimeVersion: 'sandbox://1',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

export interface LasOptions {
  nodes: string[];
  /** spec.dcapKey (default 32 zeros). */
  dcapKey?: string;
  /** LAS image tag reported as status.version (default 6.0.5). */
  version?: string;
}

/** Creates or updates LAS `las` and reports one ready node entry (with a publicKey) per SGX node. */
export async function ensureLas(kc: KubeConfig, opts: LasOptions): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const ref = { group: LAS_GROUP, version: SCONE_VERSION, plural: 'las', name: 'las' };
  const version = opts.version ?? '6.0.5';
  const spec = {
    dcapKey: opts.dcapKey ?? ZERO_DCAP_KEY,
    image: `registry.scontain.com/scone.cloud/las:${version}`,
    namespace: 'scone-system',
    hostPort: 18766,
  };

  try {
    await api.createClusterCustomObject({
      ...ref,
      body: { apiVersion: `${LAS_GROUP}/${SCONE_VERSION}`, kind: 'LAS', metadata: { name: 'las' }, spec },
    });
  } catch (err) {
    if (!isApiStatus(err, 409)) throw err;
    await api.patchClusterCustomObject({ ...ref, body: { spec } }, mergePatch);
  }

  const nodes = Object.fromEntries(
    opts.nodes.map((node) => [node, { publicKey: lasPublicKey(node), hasDCAPQuote: true, isReady: true }]),
  );
  const status = {
    state: 'HEALTHY',
    numberAvailable: opts.nodes.length,
    desiredNumberScheduled: opts.nodes.length,
    version,
    nodes,
  };
  await api.patchClusterCustomObjectStatus({ ...ref, body: { status } }, mergePatch);
}

/** A stable stand-in for the LAS enclave's public key on `node` (64 hex). */
export function lasPublicKey(node: string): string {
  return createHash('sha256').update(`casflow-sandbox-las:${node}`).digest('hex');
}
