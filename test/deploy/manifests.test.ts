// deploy/ as `kubectl kustomize deploy/` renders it: the worker Deployment's settings pass the
// worker's configuration check, it runs locked down, and every manifest is listed.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import { loadWorkerConfig, WorkerConfig } from '../../worker/config.ts';
import { repoRoot } from './compose-file.ts';
import { renderDeploy } from './kubectl.ts';

interface Rendered {
  kind: string;
  metadata: { name: string; namespace?: string };
}

describe('deploy/ manifests', () => {
  let objects: Rendered[] = [];
  let deployment: V1Deployment;
  let env: Record<string, string> = {};

  before(async () => {
    objects = parseAllDocuments(await renderDeploy()).map((d) => d.toJS() as Rendered);
    deployment = objects.find((o) => o.kind === 'Deployment') as V1Deployment;
    const container = deployment.spec?.template.spec?.containers[0];
    const configMapName = container?.envFrom?.[0]?.configMapRef?.name;
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMapName) as V1ConfigMap;
    env = { ...configMap.data };
    for (const variable of container?.env ?? []) env[variable.name] = variable.value ?? '';
  });

  it('lists every manifest file in kustomization.yaml', async () => {
    const files = (await readdir(`${repoRoot}deploy`)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const kustomization = parse(await readFile(`${repoRoot}deploy/kustomization.yaml`, 'utf8')) as {
      resources: string[];
    };

    assert.deepEqual([...kustomization.resources].sort(), files.sort());
  });

  it('renders these objects, namespaced ones in casflow-system', () => {
    const names = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);

    assert.deepEqual(names.map((n) => n.replace(/-[a-z0-9]{10}$/, '-<hash>')).sort(), [
      'ClusterRole -/casflow-worker',
      'ClusterRole -/casflow-worker-input-secrets',
      'ClusterRoleBinding -/casflow-worker',
      'ConfigMap casflow-system/casflow-worker-<hash>',
      'Deployment casflow-system/casflow-worker',
      'Namespace -/casflow-system',
      'Role casflow-system/casflow-worker-credentials',
      'RoleBinding casflow-system/casflow-worker-credentials',
      'ServiceAccount casflow-system/casflow-worker',
    ]);
  });

  it('gives the worker every required setting, in-cluster access, and values its check accepts', () => {
    const required = Object.entries(WorkerConfig.shape)
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([name]) => name);
    const unknown = Object.keys(env).filter((name) => !(name in WorkerConfig.shape));

    // KUBERNETES_SERVICE_HOST/PORT are what the kubelet puts into every pod's environment.
    const config = loadWorkerConfig({
      ...env,
      CASFLOW_SCONE_BIN: process.execPath,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    });

    assert.deepEqual(
      required.filter((name) => !env[name]),
      [],
    );
    assert.deepEqual(unknown, []);
    assert.equal(env['CASFLOW_KUBE_IN_CLUSTER'], 'true');
    assert.equal(env['CASFLOW_KUBECONFIG'], undefined);
    assert.equal(env['CASFLOW_SCONE_BIN'], '/usr/local/bin/scone');
    assert.deepEqual(config.CASFLOW_CREDENTIAL_STORE, { kind: 'secret', namespace: 'casflow-system' });
    assert.equal(config.CASFLOW_TEMPORAL_ADDRESS, 'temporal-frontend.temporal.svc:7233');
  });

  it('runs the worker as its ServiceAccount, non-root, read-only, with an in-memory /tmp', () => {
    const pod = deployment.spec?.template.spec;
    const container = pod?.containers[0];

    assert.equal(pod?.serviceAccountName, 'casflow-worker');
    assert.deepEqual(pod?.securityContext, {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.deepEqual(container?.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    assert.deepEqual(container?.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
    assert.deepEqual(pod?.volumes, [{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '128Mi' } }]);
    assert.deepEqual(container?.resources, {
      requests: { cpu: '100m', memory: '384Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
  });

  it('gives the worker longer to stop than its 30 s shutdownForceTime', () => {
    const grace = deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;

    assert.equal(grace, 60);
    assert.ok(grace > 30);
  });
});
