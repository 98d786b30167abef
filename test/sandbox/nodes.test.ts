// SGX Nodes and LAS `las` as the stand-ins leave them on the real API server.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { installCrds } from '../../src/sandbox/crds.ts';
import { createSgxNodes, ensureLas, lasPublicKey } from '../../src/sandbox/nodes.ts';
import { kubeConfigFor, useTestServers } from '../../src/sandbox/servers/index.ts';

const servers = await useTestServers();
const kc = kubeConfigFor(servers.kube);
const core = kc.makeApiClient(CoreV1Api);
// Other test files share this API server; extra SGX nodes would change their migration ratios.
after(async () => {
  for (const name of ['nodes-test-1', 'nodes-test-2']) await core.deleteNode({ name }).catch(() => undefined);
});

describe('SGX nodes and LAS', () => {
  it('creates Ready SGX nodes whose kubelet endpoint is 127.0.0.1:<port>, without the not-ready taint', async () => {
    const names = await createSgxNodes(kc, { kubeletPort: 10250, count: 2, namePrefix: 'nodes-test-' });
    assert.deepEqual(names, ['nodes-test-1', 'nodes-test-2']);

    for (const name of names) {
      const node = await core.readNode({ name });
      assert.equal(node.metadata?.labels?.['sgx.intel.com/capable'], 'true');
      assert.equal(node.metadata?.labels?.['las.scontain.com/ok'], 'true');
      assert.equal(node.status?.allocatable?.['sgx.intel.com/enclave'], '20');
      assert.equal(node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address, '127.0.0.1');
      assert.equal(node.status?.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
      assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      assert.equal(node.spec?.taints, undefined);
    }
  });

  it('is idempotent: a second run keeps the nodes and updates the kubelet port', async () => {
    await createSgxNodes(kc, { kubeletPort: 10251, count: 1, namePrefix: 'nodes-test-' });
    const node = await core.readNode({ name: 'nodes-test-1' });
    assert.equal(node.status?.daemonEndpoints?.kubeletEndpoint?.Port, 10251);
  });

  it('creates LAS las with spec.dcapKey and a publicKey per node in status.nodes', async () => {
    await installCrds(kc);
    const dcapKey = '0123456789abcdef0123456789abcdef';
    await ensureLas(kc, { nodes: ['nodes-test-1', 'nodes-test-2'], dcapKey });

    const custom = kc.makeApiClient(CustomObjectsApi);
    const las = (await custom.getClusterCustomObject({
      group: 'base.scone.cloud',
      version: 'v1beta1',
      plural: 'las',
      name: 'las',
    })) as { spec: { dcapKey: string }; status: { state: string; nodes: Record<string, { publicKey: string }> } };
    assert.equal(las.spec.dcapKey, dcapKey);
    assert.equal(las.status.state, 'HEALTHY');
    assert.deepEqual(las.status.nodes['nodes-test-1']?.publicKey, lasPublicKey('nodes-test-1'));
    assert.match(las.status.nodes['nodes-test-2']?.publicKey ?? '', /^[0-9a-f]{64}$/);
  });
});
