// The real etcd + kube-apiserver pair serves the Kubernetes API to both of casflow's clients:
// @kubernetes/client-node (through kubeConfigFor) and real kubectl (through the kubeconfig file).
import { CoreV1Api } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { get } from 'node:https';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureBinary } from '../../src/sandbox/binaries.ts';
import { kubeConfigFor, useTestServers } from '../../src/sandbox/servers/index.ts';

const run = promisify(execFile);
const servers = await useTestServers();
const namespace = `kube-test-${randomBytes(4).toString('hex')}`;

describe('kube-apiserver test server', () => {
  it('stores a namespace and a ConfigMap created through @kubernetes/client-node', async () => {
    const core = kubeConfigFor(servers.kube).makeApiClient(CoreV1Api);

    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'settings' }, data: { mode: 'sandbox', nodes: '3' } },
    });
    const read = await core.readNamespacedConfigMap({ namespace, name: 'settings' });

    assert.deepEqual(read.data, { mode: 'sandbox', nodes: '3' });
    assert.equal(read.metadata?.namespace, namespace);
  });

  it('answers real kubectl with the kubeconfig file', async () => {
    const kubectl = await ensureBinary('kubectl');
    const kc = ['--kubeconfig', servers.kube.kubeconfigPath];

    const ns = await run(kubectl, [...kc, 'get', 'ns', namespace, '-o', 'jsonpath={.metadata.name}']);
    const version = await run(kubectl, [...kc, 'version', '-o', 'json']);

    assert.equal(ns.stdout, namespace);
    const versions = JSON.parse(version.stdout) as Record<string, { gitVersion: string }>;
    assert.equal(versions['clientVersion']?.gitVersion, 'v1.36.3');
    assert.equal(versions['serverVersion']?.gitVersion, 'v1.36.3');
  });

  it('answers a wrong token with 401 and an anonymous request with 403', async () => {
    const ca = await readFile(servers.kube.caFile);
    const statusOf = (headers: Record<string, string>): Promise<number | undefined> =>
      new Promise((resolve, reject) => {
        const url = `${servers.kube.url}/api/v1/namespaces`;
        get(url, { ca, headers }, (res) => resolve(res.resume().statusCode)).on('error', reject);
      });

    const wrongToken = await statusOf({ authorization: 'Bearer not-the-token' });
    const anonymous = await statusOf({});

    assert.equal(wrongToken, 401);
    assert.equal(anonymous, 403);
  });
});
