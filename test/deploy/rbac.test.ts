// deploy/ RBAC on the real kube-apiserver: applied with the real kubectl exactly as docs/deploy.md
// says, then asked (SubjectAccessReview) what the worker's ServiceAccount may do. Every call in
// activities/** must be allowed; representative harmful ones must be denied.
//
// The apiserver runs no namespace controller, so namespaces are never deleted here: a deleted
// namespace would stay Terminating for the rest of the run.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { createKubeClients, statusCodeOf } from '../../activities/kube/clients.ts';
import { SecretCredentialStore } from '../../activities/credentials/secret-store.ts';
import { credentialKeys } from '../../activities/credentials/store.ts';
import { kubeConfigFor, useTestServers, type KubeServer } from '../../src/sandbox/servers/index.ts';
import { kubectl, renderDeploy } from './kubectl.ts';

const worker = 'system:serviceaccount:casflow-system:casflow-worker';
const workerGroups = ['system:serviceaccounts', 'system:serviceaccounts:casflow-system', 'system:authenticated'];
const psaLabel = 'pod-security.kubernetes.io/enforce';

interface Access {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** "verb group/resource/subresource ns/name", the key of the answer tables. */
const describeAccess = (a: Access) =>
  `${a.verb} ${a.group ? `${a.group}/` : ''}${a.resource}${a.subresource ? `/${a.subresource}` : ''}` +
  ` ${a.namespace ?? '-'}/${a.name ?? '*'}`;

describe('deploy/ RBAC for the casflow-worker ServiceAccount', () => {
  let kube: KubeServer;
  let authz: AuthorizationV1Api;
  const casNamespace = `casflow-rbac-${randomBytes(3).toString('hex')}`;
  const unboundNamespace = `casflow-rbac-unbound-${randomBytes(3).toString('hex')}`;
  let applyStderr = '';
  let labelledHere = false;

  const allowed = async (access: Access): Promise<boolean> => {
    const { group, resource, subresource, namespace, name, verb } = access;
    const review = await authz.createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: worker,
          groups: workerGroups,
          resourceAttributes: { group: group ?? '', resource, subresource, namespace, name, verb },
        },
      },
    });
    return review.status?.allowed === true;
  };

  const answers = async (table: Access[]) => {
    const entries = await Promise.all(table.map(async (a) => [describeAccess(a), await allowed(a)] as const));
    return Object.fromEntries(entries);
  };

  before(async () => {
    kube = (await useTestServers()).kube;
    authz = kubeConfigFor(kube).makeApiClient(AuthorizationV1Api);
    const before = await kubectl(kube, ['get', 'namespace', 'casflow-system', '-o', 'json']).catch(() => undefined);
    const labels = before
      ? (JSON.parse(before.stdout) as { metadata: { labels?: Record<string, string> } })
      : undefined;
    labelledHere = labels?.metadata.labels?.[psaLabel] === undefined;

    applyStderr = (await kubectl(kube, ['apply', '-k', 'deploy/'])).stderr;
    await kubectl(kube, ['create', 'namespace', casNamespace]);
    // The per-namespace binding, exactly as input-secrets-cluster-role.yaml and docs/deploy.md give it.
    await kubectl(kube, [
      '-n',
      casNamespace,
      'create',
      'rolebinding',
      'casflow-worker-input-secrets',
      '--clusterrole=casflow-worker-input-secrets',
      '--serviceaccount=casflow-system:casflow-worker',
    ]);
  });

  after(async () => {
    if (!kube) return;
    const rendered = parseAllDocuments(await renderDeploy()).map((d) => d.toJS() as { kind: string });
    const rest = rendered.filter((object) => object.kind !== 'Namespace');
    await kubectl(kube, ['delete', '--ignore-not-found', '-f', '-'], rest.map((o) => JSON.stringify(o)).join('\n'));
    // Other tests may run pods in casflow-system on this server; leave its admission as it was.
    if (labelledHere) await kubectl(kube, ['label', 'namespace', 'casflow-system', `${psaLabel}-`]);
  });

  it('applies without a PodSecurity or other warning', () => {
    assert.equal(applyStderr, '');
  });

  it('allows every Kubernetes call the activities make', async () => {
    const ns = casNamespace;
    const cas = { group: 'services.scone.cloud', resource: 'cas', namespace: ns };
    const table: Access[] = [
      { verb: 'get', ...cas, name: 'mycas' },
      { verb: 'list', ...cas },
      { verb: 'watch', ...cas },
      { verb: 'create', ...cas },
      { verb: 'patch', ...cas, name: 'mycas' },
      { verb: 'get', group: 'base.scone.cloud', resource: 'las', name: 'las' },
      { verb: 'list', resource: 'pods', namespace: ns },
      { verb: 'watch', resource: 'pods', namespace: ns },
      { verb: 'get', resource: 'pods', subresource: 'log', namespace: ns, name: 'mycas-0' },
      { verb: 'list', resource: 'services', namespace: ns },
      { verb: 'watch', resource: 'services', namespace: ns },
      { verb: 'get', resource: 'persistentvolumeclaims', namespace: ns, name: 'database-mycas-0' },
      { verb: 'get', resource: 'namespaces', name: ns },
      { verb: 'create', resource: 'events', namespace: ns },
      { verb: 'get', resource: 'secrets', namespace: 'casflow-system', name: 'casflow-cas.ns.mycas.owner-identity' },
      { verb: 'create', resource: 'secrets', namespace: 'casflow-system' },
      { verb: 'update', resource: 'secrets', namespace: 'casflow-system', name: 'casflow-cas.ns.mycas.owner-identity' },
      { verb: 'delete', resource: 'secrets', namespace: 'casflow-system', name: 'casflow-cas.ns.mycas.owner-identity' },
      { verb: 'get', resource: 'secrets', namespace: ns, name: 'casflow-input-mycas-0a1b2c' },
      { verb: 'delete', resource: 'secrets', namespace: ns, name: 'casflow-input-mycas-0a1b2c' },
    ];

    const result = await answers(table);

    assert.deepEqual(result, Object.fromEntries(table.map((a) => [describeAccess(a), true])));
  });

  it('denies what the worker must never do', async () => {
    const ns = casNamespace;
    const cas = { group: 'services.scone.cloud', resource: 'cas', namespace: ns };
    const table: Access[] = [
      { verb: 'delete', ...cas, name: 'mycas' },
      { verb: 'deletecollection', ...cas },
      { verb: 'update', ...cas, name: 'mycas' },
      { verb: 'patch', ...cas, subresource: 'status', name: 'mycas' },
      { verb: 'create', group: 'services.scone.cloud', resource: 'vaults', namespace: ns },
      { verb: 'get', group: 'base.scone.cloud', resource: 'las', name: 'other' },
      { verb: 'list', group: 'base.scone.cloud', resource: 'las' },
      { verb: 'patch', group: 'base.scone.cloud', resource: 'las', name: 'las' },
      { verb: 'list', resource: 'secrets', namespace: 'casflow-system' },
      { verb: 'watch', resource: 'secrets', namespace: 'casflow-system' },
      { verb: 'list', resource: 'secrets' },
      { verb: 'get', resource: 'secrets', namespace: 'kube-system', name: 'bootstrap-token-abcdef' },
      { verb: 'get', resource: 'secrets', namespace: unboundNamespace, name: 'casflow-input-mycas-0a1b2c' },
      { verb: 'list', resource: 'secrets', namespace: ns },
      { verb: 'create', resource: 'secrets', namespace: ns },
      { verb: 'update', resource: 'secrets', namespace: ns, name: 'casflow-input-mycas-0a1b2c' },
      { verb: 'create', resource: 'pods', namespace: ns },
      { verb: 'delete', resource: 'pods', namespace: ns, name: 'mycas-0' },
      { verb: 'get', resource: 'pods', namespace: ns, name: 'mycas-0' },
      { verb: 'create', resource: 'pods', subresource: 'exec', namespace: ns, name: 'mycas-0' },
      { verb: 'patch', group: 'apps', resource: 'statefulsets', namespace: ns, name: 'mycas' },
      { verb: 'create', group: 'apps', resource: 'deployments', namespace: 'casflow-system' },
      { verb: 'delete', resource: 'persistentvolumeclaims', namespace: ns, name: 'database-mycas-0' },
      { verb: 'list', resource: 'namespaces' },
      { verb: 'create', resource: 'namespaces' },
      { verb: 'delete', resource: 'namespaces', name: ns },
      { verb: 'list', resource: 'nodes' },
      { verb: 'delete', resource: 'events', namespace: ns, name: 'mycas.casflow.x' },
      { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'kube-system', name: 'default' },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: ns },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
      { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'casflow-worker' },
      { verb: 'bind', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'cluster-admin' },
      { verb: 'impersonate', resource: 'serviceaccounts', namespace: 'kube-system', name: 'default' },
      { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
    ];

    const result = await answers(table);

    assert.deepEqual(result, Object.fromEntries(table.map((a) => [describeAccess(a), false])));
  });

  it('lets the worker, authenticated by its own token, use the credential store and nothing more', async () => {
    const { stdout: token } = await kubectl(kube, ['-n', 'casflow-system', 'create', 'token', 'casflow-worker']);
    const asWorker = new KubeConfig();
    asWorker.loadFromOptions({
      clusters: [{ name: 'test', server: kube.url, caFile: kube.caFile, skipTLSVerify: false }],
      users: [{ name: 'casflow-worker', token: token.trim() }],
      contexts: [{ name: 'test', cluster: 'test', user: 'casflow-worker' }],
      currentContext: 'test',
    });
    const clients = createKubeClients(asWorker);
    const store = new SecretCredentialStore(clients, 'casflow-system');
    const key = credentialKeys.dcapKey(casNamespace, 'mycas');

    await store.write(key, Buffer.from('first'));
    await store.write(key, Buffer.from('second'));
    const read = await store.read(key);
    await store.remove(key);
    const afterRemove = await store.read(key);
    const listStatus = await clients.core.listNamespacedSecret({ namespace: 'casflow-system' }).then(
      () => 200,
      (error: unknown) => statusCodeOf(error),
    );
    const namespace = await clients.core.readNamespace({ name: casNamespace });

    assert.equal(read?.toString(), 'second');
    assert.equal(afterRemove, undefined);
    assert.equal(listStatus, 403);
    assert.equal(namespace.metadata?.name, casNamespace);
  });
});
