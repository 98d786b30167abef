// provisionCas end to end on the real Temporal server and the real API server, with the SCONE
// stand-ins: result, cluster state, CAS stand-in state, refusals, secrets kept out of history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { WorkflowFailedError } from '@temporalio/client';
import type { ProvisionCasInput, ProvisionCasResult } from '../../src/domain/provision-cas.ts';
import { casWorkflowId } from '../../src/domain/names.ts';
import { useSandbox, type Sandbox } from '../support/sandbox.ts';
import { completedActivities, historyText } from '../support/history.ts';

const TASK_QUEUE = 'provision-cas-test';
let sandbox: Sandbox;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let worker: { stop(): Promise<void>; logFile: string };

async function createNamespace(name: string, annotations?: Record<string, string>) {
  await core.createNamespace({ body: { metadata: { name, annotations } } });
}

function provision(input: ProvisionCasInput) {
  return sandbox.client.workflow.execute('provisionCas', {
    taskQueue: TASK_QUEUE,
    workflowId: casWorkflowId(input.namespace ?? 'default', input.name, 'provision'),
    args: [input],
  }) as Promise<ProvisionCasResult>;
}

async function getCas(namespace: string, name: string) {
  return (await custom.getNamespacedCustomObject({
    group: 'services.scone.cloud',
    version: 'v1beta1',
    plural: 'cas',
    namespace,
    name,
  })) as {
    metadata: { resourceVersion: string };
    spec: Record<string, { enabled?: boolean; session?: string; image?: string } | boolean>;
    status: Record<string, unknown>;
  };
}

async function rootCause(promise: Promise<unknown>): Promise<{ message: string; type?: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WorkflowFailedError, `expected a workflow failure, got ${String(error)}`);
    let cause = error.cause as { message: string; type?: string; cause?: unknown } | undefined;
    while (cause?.cause) cause = cause.cause as typeof cause;
    return { message: cause?.message ?? '', type: cause?.type };
  }
  assert.fail('the workflow succeeded');
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
  return [];
}

before(async () => {
  sandbox = await useSandbox();
  core = sandbox.kubeConfig.makeApiClient(CoreV1Api);
  custom = sandbox.kubeConfig.makeApiClient(CustomObjectsApi);
  worker = await sandbox.startWorker(TASK_QUEUE);
});

after(async () => {
  await sandbox?.stop();
});

describe('provisionCas', () => {
  test('provisions a CAS: backup controller and probes set, HEALTHY, one owner, three policies', async () => {
    await createNamespace('prov-a');
    const result = await provision({ name: 'alpha', namespace: 'prov-a', wait: true });

    const instance = sandbox.standIns.cas.get('prov-a', 'alpha')!;
    assert.equal(result.outcome, 'provisioned');
    assert.equal(result.casAddress, 'alpha.prov-a.svc:8081');
    assert.equal(result.status?.state, 'HEALTHY');
    assert.equal(result.dcapKeySource, 'las');
    assert.equal(result.keys?.casKey, instance.keyHash);
    assert.equal(result.keys?.casSoftwareKey, instance.softwareKeyHash);

    const { spec, status } = await getCas('prov-a', 'alpha');
    assert.deepEqual(spec['backup-controller'], {
      enabled: true,
      session: 'cas-owner/primary-backup/register',
      image: 'registry.scontain.com/scone.cloud/backup-controller:6.0.5',
    });
    assert.equal((spec.livenessProbe as { enabled: boolean }).enabled, true);
    assert.equal((spec.startupProbe as { enabled: boolean }).enabled, true);
    assert.equal(spec.attestedCLIProbes, false);
    assert.equal(status.state, 'HEALTHY');
    assert.equal(status.provisioned, 'Yes');

    assert.equal(instance.provisionCount, 1);
    assert.ok(instance.owner, 'the CAS stand-in has an owner');
    assert.deepEqual([...instance.policies.keys()].sort(), ['cas-owner', 'cas-owner/primary-backup', 'provisioned']);

    const events = await core.listNamespacedEvent({ namespace: 'prov-a', fieldSelector: 'involvedObject.name=alpha' });
    const reasons = events.items.map((e) => e.reason);
    for (const reason of [
      'CasflowCreated',
      'CasflowProvisioned',
      'CasflowAttested',
      'CasflowPoliciesCreated',
      'CasflowBackupEnabled',
    ]) {
      assert.ok(reasons.includes(reason), `missing event ${reason} in ${reasons.join(',')}`);
    }
  });

  test('provisioning it again reports "already provisioned" and writes nothing', async () => {
    const instance = sandbox.standIns.cas.get('prov-a', 'alpha')!;
    const attemptsBefore = instance.provisionAttempts;
    const policyHashesBefore = [...instance.policies.values()].map((p) => p.hash);
    const versionBefore = (await getCas('prov-a', 'alpha')).metadata.resourceVersion;
    const eventsBefore = (await core.listNamespacedEvent({ namespace: 'prov-a' })).items.length;

    const result = await provision({ name: 'alpha', namespace: 'prov-a', wait: true });

    assert.equal(result.outcome, 'already-provisioned');
    assert.equal(instance.provisionAttempts, attemptsBefore);
    assert.deepEqual(
      [...instance.policies.values()].map((p) => p.hash),
      policyHashesBefore,
    );
    assert.equal((await getCas('prov-a', 'alpha')).metadata.resourceVersion, versionBefore);
    assert.equal((await core.listNamespacedEvent({ namespace: 'prov-a' })).items.length, eventsBefore);
  });

  test('no secret appears in the workflow history or the worker log', async () => {
    const instance = sandbox.standIns.cas.get('prov-a', 'alpha')!;
    const identity = JSON.parse(
      await readFile(`${sandbox.dir}/credentials/cas/prov-a/alpha/owner-identity`, 'utf8'),
    ) as Record<string, unknown>;
    // Every long string inside the owner identity file (private key material, signing seed).
    const identityStrings = stringLeaves({
      identity: identity.identity,
      seed: identity.session_signing_keypair_ed25519_seed,
    }).filter((value) => value.length >= 16);
    assert.ok(identityStrings.length > 0, 'the owner identity holds key material to look for');
    const secrets: Record<string, string> = {
      token: instance.provisioningToken,
      dcapKey: sandbox.standIns.pcs.subscriptionKey,
      ...Object.fromEntries(identityStrings.map((value, i) => [`owner identity string ${i}`, value])),
    };
    const handles = sandbox.client.workflow.list({ query: `WorkflowId = "cas/prov-a/alpha/provision"` });
    let runs = 0;
    for await (const execution of handles) {
      const text = await historyText(sandbox.client.workflow.getHandle(execution.workflowId, execution.runId));
      // Control: payloads are decoded in this text (the input names the CAS, results carry the key hash).
      assert.ok(text.includes('"name":"alpha"'), 'the decoded input is searchable');
      for (const [what, value] of Object.entries(secrets)) {
        assert.ok(value.length > 8, `${what} is a real value`);
        assert.ok(!text.includes(value), `${what} found in the history of run ${execution.runId}`);
      }
      runs += 1;
    }
    assert.equal(runs, 2);
    const log = await readFile(worker.logFile, 'utf8');
    assert.ok(log.length > 0, 'the worker logged something');
    for (const [what, value] of Object.entries(secrets))
      assert.ok(!log.includes(value), `${what} found in the worker log`);
  });

  test('a run stopped after provisioning the owner is resumed by the next run, not reported as done', async () => {
    await createNamespace('prov-half');
    const workflowId = casWorkflowId('prov-half', 'half', 'provision');
    const handle = await sandbox.client.workflow.start('provisionCas', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ name: 'half', namespace: 'prov-half' }],
    });
    const deadline = Date.now() + 60_000;
    while (!(await completedActivities(handle)).includes('provisionCasOwner')) {
      assert.ok(Date.now() < deadline, 'provisioning never reached the owner step');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await handle.terminate('test: stop half-way');
    const instance = sandbox.standIns.cas.get('prov-half', 'half')!;
    assert.equal(instance.policies.size, 0);

    const result = await provision({ name: 'half', namespace: 'prov-half', wait: true });

    assert.equal(result.outcome, 'provisioned');
    assert.equal(result.status?.state, 'HEALTHY');
    assert.equal(instance.provisionCount, 1);
    assert.deepEqual([...instance.policies.keys()].sort(), ['cas-owner', 'cas-owner/primary-backup', 'provisioned']);
    const again = await provision({ name: 'half', namespace: 'prov-half' });
    assert.equal(again.outcome, 'already-provisioned');
  });

  test('a namespace that does not exist fails before any write', async () => {
    const failure = await rootCause(provision({ name: 'ghost', namespace: 'no-such-ns' }));
    assert.deepEqual(failure, { message: 'Namespace "no-such-ns" does not exist', type: 'NamespaceNotFoundError' });
  });

  test('a leftover database volume is refused before the CAS is created', async () => {
    await createNamespace('prov-pvc');
    await core.createNamespacedPersistentVolumeClaim({
      namespace: 'prov-pvc',
      body: {
        metadata: { name: 'database-old-0' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    const failure = await rootCause(provision({ name: 'old', namespace: 'prov-pvc' }));
    assert.equal(failure.type, 'LeftoverDatabaseVolumeError');
    assert.equal(
      failure.message,
      'PersistentVolumeClaim database-old-0 in namespace prov-pvc is left over from an earlier CAS old; ' +
        'delete it, or recover that CAS from it, before provisioning a new one',
    );
    await assert.rejects(getCas('prov-pvc', 'old'), (error: { code?: number }) => error.code === 404);
  });

  test('a CAS that never becomes HEALTHY fails at the deadline naming the field and its last value', async () => {
    await createNamespace('prov-sick', { 'sandbox.casflow.dev/fault': 'never-healthy' });
    const failure = await rootCause(
      provision({ name: 'sick', namespace: 'prov-sick', wait: true, deadlines: { healthy: '8s' } }),
    );
    assert.equal(failure.type, 'DeadlineExceededError');
    assert.match(
      failure.message,
      /^Deadline passed for CAS sick in namespace prov-sick waiting for status\.state to be HEALTHY; status\.state was "UNHEALTHY"/,
    );
  });

  test('a CAS whose attestation fails is refused with both signers and the reason', async () => {
    await createNamespace('prov-attest', { 'sandbox.casflow.dev/fault': 'attestation-failure' });
    const failure = await rootCause(provision({ name: 'liar', namespace: 'prov-attest' }));
    assert.equal(failure.type, 'AttestationRefusedError');
    assert.match(
      failure.message,
      /^Attestation of CAS liar in namespace prov-attest failed with every configured signer \(2\); last reason: .*could not be verified/,
    );
    assert.equal(sandbox.standIns.cas.get('prov-attest', 'liar')?.provisionCount, 0);
  });

  test('the history length does not grow when the operator is ten times slower', async () => {
    await createNamespace('prov-fast');
    await createNamespace('prov-slow', { 'sandbox.casflow.dev/time-scale': '10' });
    await provision({ name: 'quick', namespace: 'prov-fast', wait: true });
    await provision({ name: 'quick', namespace: 'prov-slow', wait: true });
    const length = async (ns: string) =>
      (await sandbox.client.workflow.getHandle(casWorkflowId(ns, 'quick', 'provision')).describe()).historyLength;
    const fast = await length('prov-fast');
    const slow = await length('prov-slow');
    assert.ok(fast > 20, `a provisioning history has many events (got ${fast})`);
    assert.equal(slow, fast);
  });
});
