// A worker killed in the middle of provisioning (owner provisioned, policies not yet created) is
// replaced by a new one: the workflow completes and the CAS was provisioned exactly once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import type { ProvisionCasResult } from '../../src/domain/provision-cas.ts';
import { casWorkflowId } from '../../src/domain/names.ts';
import { useSandbox, type Sandbox } from '../support/sandbox.ts';
import { completedActivities } from '../support/history.ts';

const TASK_QUEUE = 'worker-crash-test';
let sandbox: Sandbox;

before(async () => {
  // This test keeps the owner identity in Kubernetes Secrets, the store production workers use.
  sandbox = await useSandbox({ credentialStore: 'secret:casflow-crash' });
  await sandbox.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'casflow-crash' } } });
});

after(async () => {
  await sandbox?.stop();
});

test('provisioning survives a worker killed between provisioning the owner and creating the policies', async () => {
  await sandbox.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'crash' } } });
  const first = await sandbox.spawnWorker(TASK_QUEUE, 'first');

  const handle = await sandbox.client.workflow.start('provisionCas', {
    taskQueue: TASK_QUEUE,
    workflowId: casWorkflowId('crash', 'phoenix', 'provision'),
    args: [{ name: 'phoenix', namespace: 'crash', wait: true }],
  });

  const deadline = Date.now() + 120_000;
  let completed: string[] = [];
  while (!completed.includes('provisionCasOwner')) {
    assert.ok(Date.now() < deadline, `provisioning did not reach the owner step; completed: ${completed.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    completed = await completedActivities(handle);
  }
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));

  const atKill = await completedActivities(handle);
  assert.ok(!atKill.includes('createCasPolicies'), `the kill came too late: ${atKill.join(', ')}`);
  const instance = sandbox.standIns.cas.get('crash', 'phoenix')!;
  assert.equal(instance.provisionCount, 1);
  assert.equal(instance.policies.size, 0, 'no policy exists yet when the worker dies');
  // One refused request per signer tried before the accepted one; none may follow the restart.
  const attemptsAtKill = instance.provisionAttempts;

  await sandbox.spawnWorker(TASK_QUEUE, 'second');
  const result = (await handle.result()) as ProvisionCasResult;

  assert.equal(result.outcome, 'provisioned');
  assert.equal(result.status?.state, 'HEALTHY');
  assert.equal(instance.provisionCount, 1);
  assert.equal(instance.provisionAttempts, attemptsAtKill);
  assert.deepEqual([...instance.policies.keys()].sort(), ['cas-owner', 'cas-owner/primary-backup', 'provisioned']);
  const after = await completedActivities(handle);
  assert.equal(after.filter((type) => type === 'provisionCasOwner').length, 1);
  const identity = await sandbox.kubeConfig
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ name: 'casflow-cas.crash.phoenix.owner-identity', namespace: 'casflow-crash' });
  assert.equal(result.ownerIdentity, 'secret casflow-crash/casflow-cas.crash.phoenix.owner-identity');
  assert.ok(identity.data?.value, 'the owner identity is kept in the Secret');
});
