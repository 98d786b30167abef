// CustomResourceDefinitions shaped like the SCONE operator's (chart 6.0.5; Vault from 6.0.0).
// Steps of installCrds:
//   1. build the CRDs (CAS, LAS, optionally Vault);
//   2. create each, or replace it when it exists (so a changed schema applies);
//   3. wait until every CRD reports Established and a list of its resources succeeds.
// The real CAS CRD converts through a webhook; with one served version there is nothing to convert.
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1CustomResourceDefinition,
  type V1JSONSchemaProps,
} from '@kubernetes/client-node';
import { sleep } from './abortable.ts';
import { isApiStatus } from './operator/kube-errors.ts';

export const CAS_GROUP = 'services.scone.cloud';
export const LAS_GROUP = 'base.scone.cloud';
export const SCONE_VERSION = 'v1beta1';

/** A CRD was not Established and served by the deadline. */
export class CrdNotEstablishedError extends Error {
  override readonly name = 'CrdNotEstablishedError';
  constructor(
    readonly crd: string,
    readonly deadline: number,
  ) {
    super(`CRD ${crd} was not Established and served by ${new Date(deadline).toISOString()}`);
  }
}

const open: V1JSONSchemaProps = { x_kubernetes_preserve_unknown_fields: true };
const str = (extra: V1JSONSchemaProps = {}): V1JSONSchemaProps => ({ type: 'string', ...extra });
const int = (extra: V1JSONSchemaProps = {}): V1JSONSchemaProps => ({ type: 'integer', ...extra });
const bool = (extra: V1JSONSchemaProps = {}): V1JSONSchemaProps => ({ type: 'boolean', ...extra });
const obj = (properties: Record<string, V1JSONSchemaProps>, extra: V1JSONSchemaProps = {}): V1JSONSchemaProps => ({
  type: 'object',
  properties,
  ...extra,
});
const openObj = (properties: Record<string, V1JSONSchemaProps> = {}): V1JSONSchemaProps =>
  obj(properties, { x_kubernetes_preserve_unknown_fields: true });
const stringMap: V1JSONSchemaProps = { type: 'object', additionalProperties: { type: 'string' } };
const list = (items: V1JSONSchemaProps): V1JSONSchemaProps => ({ type: 'array', items });
const tolerations = list(openObj());
const accessModes = list(str());

const probe = obj({
  enabled: bool(),
  periodSeconds: int(),
  initialDelaySeconds: int(),
  timeoutSeconds: int(),
  failureThreshold: int(),
});

const conditions = list(
  openObj({
    type: str(),
    status: str({ _enum: ['True', 'False', 'Unknown'] }),
    reason: str(),
    message: str(),
    lastTransitionTime: str({ format: 'date-time' }),
    observedGeneration: int(),
  }),
);

const casSpec = openObj({
  image: str(),
  imagePullPolicy: str(),
  imagePullSecrets: list(openObj({ name: str() })),
  podAnnotations: stringMap,
  nodeSelector: stringMap,
  tolerations,
  resources: openObj(),
  podSecurityContext: openObj(),
  containerSecurityContextCAS: openObj(),
  containerSecurityContextAudit: openObj(),
  edmmMode: str(),
  enclaveMetrics: open,
  autoUpdate: bool(),
  reinstallOnFatal: bool(),
  attestedCLIProbes: bool(),
  configuration: open,
  ownerConfig: open,
  ownerCertificate: str(),
  nonce: str({ pattern: '^[0-9a-fA-F]{32}$' }),
  service: openObj({
    type: str({ _enum: ['ClusterIP', 'NodePort', 'LoadBalancer'], _default: 'ClusterIP' }),
    clientPort: int({ _default: 8081 }),
    enclavePort: int({ _default: 18765 }),
    nodePorts: obj({ clientPort: int(), enclavePort: int() }),
    loadBalancerIP: str(),
    annotations: stringMap,
  }),
  persistence: openObj({
    enabled: bool({ _default: true }),
    mountPath: str({ _default: '/etc/cas/db' }),
    size: str({ _default: '1Gi' }),
    storageClass: str(),
    accessModes,
  }),
  databaseSnapshots: openObj({
    enabled: bool({ _default: false }),
    interval: str({ _default: '60s' }),
    targetDirectory: str({ _default: '/var/mnt/cas-database-snapshots' }),
    persistence: openObj({ enabled: bool(), size: str(), storageClass: str(), accessModes }),
  }),
  'backup-controller': openObj({
    enabled: bool({ _default: false }),
    image: str(),
    session: str(),
    // The plugin patches /spec/backup-controller/env as a whole; its shape is not documented.
    env: open,
    tolerations,
    debug: bool(),
  }),
  livenessProbe: probe,
  startupProbe: probe,
  safetyService: openObj({
    enabled: bool(),
    image: str(),
    desiredReplicas: int({ _default: 3, minimum: 2 }),
    minReplicas: int({ _default: 2 }),
    podAntiAffinityTopologyKey: str(),
    tolerations,
  }),
  networkPolicy: openObj({ enabled: bool(), ingressNSMatchLabels: stringMap, ingressPodMatchLabels: stringMap }),
});

const casStatus = openObj({
  state: str({ _enum: ['HEALTHY', 'PENDING', 'UNHEALTHY'] }),
  phase: str({
    _enum: [
      'Uninitialized',
      'Unprovisioned',
      'Provisioned',
      'EnablingMigration',
      'AttestationFailure',
      'SnapshotFailure',
      'UNHEALTHY',
      'HEALTHY',
      'Deleted',
    ],
  }),
  provisioned: str({ _enum: ['Yes', 'No', 'Unknown'] }),
  attestable: str({ _enum: ['Yes', 'Failure'] }),
  snapshotStatus: str({ _enum: ['Persisted', 'Ephemeral', 'Initializing', 'Disabled', 'Failed'] }),
  snapshotTimestamp: str(),
  snapshotCheckupTimestamp: str(),
  snapshotConfiguredInterval: int(),
  numMigratableNodes: int(),
  desiredNumMigratableNodes: int(),
  migrationNodeRatio: str(),
  migrationNodeAlert: int(),
  migrationControllerReplicaAlert: int(),
  readyReplicas: int(),
  replicaAlert: int(),
  podDisruptionBudgetAlert: int(),
  version: str(),
  nonce: str(),
  dcapReport: str(),
  conditions,
});

const column = (name: string, jsonPath: string, type = 'string') => ({ name, jsonPath, type });
const age = column('Age', '.metadata.creationTimestamp', 'date');

function crd(spec: {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  scope: 'Namespaced' | 'Cluster';
  schema: V1JSONSchemaProps;
  columns: ReturnType<typeof column>[];
}): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${spec.plural}.${spec.group}` },
    spec: {
      group: spec.group,
      scope: spec.scope,
      names: {
        kind: spec.kind,
        listKind: `${spec.kind}List`,
        plural: spec.plural,
        singular: spec.singular,
        ...(spec.shortNames ? { shortNames: spec.shortNames } : {}),
      },
      versions: [
        {
          name: SCONE_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [...spec.columns, age],
          schema: { openAPIV3Schema: spec.schema },
        },
      ],
    },
  };
}

const root = (spec: V1JSONSchemaProps, status: V1JSONSchemaProps): V1JSONSchemaProps =>
  obj({ apiVersion: str(), kind: str(), metadata: { type: 'object' }, spec, status });

/** CRD `cas.services.scone.cloud`: kind CAS, namespaced, with the printer columns of chart 6.0.5. */
export const casCrd = crd({
  group: CAS_GROUP,
  kind: 'CAS',
  plural: 'cas',
  singular: 'cas',
  scope: 'Namespaced',
  schema: root(casSpec, casStatus),
  columns: [
    column('State', '.status.state'),
    column('Phase', '.status.phase'),
    column('Provisioned', '.status.provisioned'),
    column('Attestable', '.status.attestable'),
    column('Snapshots', '.status.snapshotStatus'),
    column('Migration', '.status.migrationNodeRatio'),
    column('Version', '.status.version'),
  ],
});

/** CRD `las.base.scone.cloud`: kind LAS, cluster-scoped; the plugin reads spec.dcapKey and status.nodes. */
export const lasCrd = crd({
  group: LAS_GROUP,
  kind: 'LAS',
  plural: 'las',
  singular: 'las',
  scope: 'Cluster',
  schema: root(
    openObj({ dcapKey: str(), image: str(), namespace: str(), hostPort: int({ _default: 18766 }) }),
    openObj({
      state: str(),
      numberAvailable: int(),
      desiredNumberScheduled: int(),
      version: str(),
      nodes: {
        type: 'object',
        additionalProperties: openObj({ publicKey: str(), hasDCAPQuote: bool(), isReady: bool() }),
      },
    }),
  ),
  columns: [
    column('State', '.status.state'),
    column('Available', '.status.numberAvailable', 'integer'),
    column('Desired', '.status.desiredNumberScheduled', 'integer'),
    column('Version', '.status.version'),
  ],
});

/** CRD `vaults.services.scone.cloud` (chart ≤ 6.0.0 only; 6.0.x operator_controller refuses to run beside it). */
export const vaultCrd = crd({
  group: CAS_GROUP,
  kind: 'Vault',
  plural: 'vaults',
  singular: 'vault',
  scope: 'Namespaced',
  schema: root(
    openObj({
      server: openObj({ extraEnvironmentVars: stringMap }),
      injector: open,
      global: open,
      nodeSelector: stringMap,
    }),
    openObj({
      state: str(),
      desiredReplicas: int(),
      readyReplicas: int(),
      sgxReplicaAlert: int(),
      initStatement: str(),
      conditions,
    }),
  ),
  columns: [
    column('State', '.status.state'),
    column('Desired', '.status.desiredReplicas', 'integer'),
    column('Ready', '.status.readyReplicas', 'integer'),
  ],
});

export interface InstallCrdsOptions {
  /** Install `vaults.services.scone.cloud` too (default true). */
  vault?: boolean;
  /** How long to wait for all CRDs to be served (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Installs the SCONE CRDs idempotently and waits until the API server serves them. */
export async function installCrds(kc: KubeConfig, opts: InstallCrdsOptions = {}): Promise<string[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = [casCrd, lasCrd, ...(opts.vault === false ? [] : [vaultCrd])];

  for (const body of crds) await applyCrd(api, body);

  const names = crds.map((c) => c.metadata!.name!);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const body of crds) {
    await waitEstablished(api, body.metadata!.name!, deadline, opts.signal);
    await waitServed(custom, body, deadline, opts.signal);
  }
  return names;
}

async function applyCrd(api: ApiextensionsV1Api, body: V1CustomResourceDefinition): Promise<void> {
  try {
    await api.createCustomResourceDefinition({ body });
  } catch (err) {
    if (!isApiStatus(err, 409)) throw err;
    const name = body.metadata!.name!;
    const current = await api.readCustomResourceDefinition({ name });
    const metadata = { ...body.metadata, resourceVersion: current.metadata?.resourceVersion };
    await api.replaceCustomResourceDefinition({ name, body: { ...body, metadata } });
  }
}

async function waitEstablished(
  api: ApiextensionsV1Api,
  name: string,
  deadline: number,
  signal = new AbortController().signal,
): Promise<void> {
  // Establishing takes a few hundred ms on a local API server; a short poll is simpler than a watch here.
  while (Date.now() < deadline) {
    const current = await api.readCustomResourceDefinition({ name });
    const established = current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established) return;
    if (!(await sleep(100, signal))) return;
  }
  throw new CrdNotEstablishedError(name, deadline);
}

// Established comes before the resource's storage is ready: a list right after it can still get
// 429 "storage is (re)initializing". Ready means a list succeeds.
async function waitServed(
  custom: CustomObjectsApi,
  crd: V1CustomResourceDefinition,
  deadline: number,
  signal = new AbortController().signal,
): Promise<void> {
  const { group, names } = crd.spec;
  const ref = { group, version: SCONE_VERSION, plural: names.plural };
  while (Date.now() < deadline) {
    try {
      await custom.listCustomObjectForAllNamespaces({ ...ref, limit: 1 });
      return;
    } catch (err) {
      if (!isApiStatus(err, 429) && !isApiStatus(err, 404) && !isApiStatus(err, 503)) throw err;
    }
    if (!(await sleep(100, signal))) return;
  }
  throw new CrdNotEstablishedError(crd.metadata!.name!, deadline);
}
