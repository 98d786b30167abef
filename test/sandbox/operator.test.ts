// The operator stand-in on the real API server: the objects a CAS gets, the status sequences it
// walks, and each fault knob. Status is observed by watching (CasStatusRecorder), never by sleeping.
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { kubeConfigFor, useTestServers } from '../../src/sandbox/servers/index.ts';
import { startStandIns } from '../../src/sandbox/standins.ts';
import { CasStatusRecorder, type CasStatusDoc } from './helpers/cas-status-watch.ts';
import { run, TOLERATIONS } from './helpers/scone-standin.ts';
import { waitDeleted } from './helpers/wait-deleted.ts';

const servers = await useTestServers();
const kc = kubeConfigFor(servers.kube);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const standIns = await startStandIns({
  kube: servers.kube,
  stateDir: await mkdtemp(join(tmpdir(), 'casflow-operator-test-')),
});
after(() => standIns.stop());

const REF = { group: 'services.scone.cloud', version: 'v1beta1', plural: 'cas' } as const;
const CAS_IMAGE = 'registry.scontain.com/scone.cloud/cas:6.0.5';
const BC_IMAGE = 'registry.scontain.com/scone.cloud/backup-controller:6.0.5';
const OWNER = 'ab'.repeat(32);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const LABELS = (name: string) => ({ 'app.kubernetes.io/instance': name, 'app.kubernetes.io/name': 'cas' });

async function newNamespace(annotations?: Record<string, string>): Promise<string> {
  const name = `op-${randomBytes(4).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name, annotations } } });
  return name;
}

async function createCas(
  namespace: string,
  name: string,
  opts: { annotations?: Record<string, string>; spec?: Record<string, unknown> } = {},
): Promise<CasStatusRecorder> {
  const recorder = await CasStatusRecorder.start(kc, namespace, name);
  after(() => recorder.stop());
  await custom.createNamespacedCustomObject({
    ...REF,
    namespace,
    body: {
      apiVersion: 'services.scone.cloud/v1beta1',
      kind: 'CAS',
      metadata: { name, annotations: opts.annotations },
      spec: { image: CAS_IMAGE, nodeSelector: { 'las.scontain.com/ok': 'true' }, ...opts.spec },
    },
  });
  return recorder;
}

const patchCas = (namespace: string, name: string, spec: Record<string, unknown>) =>
  custom.patchNamespacedCustomObject({ ...REF, namespace, name, body: { spec } }, mergePatch);

const enableBackup = (namespace: string, name: string, image = BC_IMAGE) =>
  patchCas(namespace, name, {
    'backup-controller': { enabled: true, image, session: 'cas-owner/primary-backup/register' },
  });

/** What `scone cas provision` does to the registry once it succeeds. */
function provision(namespace: string, name: string): void {
  const instance = standIns.cas.get(namespace, name);
  assert.ok(instance, `registry has no CAS ${namespace}/${name}`);
  standIns.cas.recordProvisioning(instance, OWNER, '[owner]\n');
}

/** `scone cas attest` of an unprovisioned CAS, as the plugin runs it, with a fresh identity. */
async function attest(namespace: string, name: string) {
  const identity = join(await mkdtemp(join(tmpdir(), 'casflow-operator-id-')), 'config.json');
  const args = ['cas', 'attest', ...TOLERATIONS, '--only_for_testing-trust-any'];
  args.push('--only_for_testing_allow-unprovisioned-cas', `${name}.${namespace}:8081`);
  return run(standIns.sconeBin, args, { PATH: process.env.PATH ?? '', SCONE_CLI_CONFIG: identity });
}

const isPhase = (phase: string) => (s: CasStatusDoc) => s.phase === phase;
const condition = (s: CasStatusDoc, type: string) => s.conditions?.find((c) => c.type === type);

async function healthyCas(namespace: string, name: string): Promise<CasStatusRecorder> {
  const recorder = await createCas(namespace, name);
  await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
  provision(namespace, name);
  await recorder.waitFor('Provisioned', isPhase('Provisioned'));
  await enableBackup(namespace, name);
  await recorder.waitFor('HEALTHY', isPhase('HEALTHY'));
  return recorder;
}

describe('operator stand-in', () => {
  it('gives a CAS pod <name>-0, service <name> and PVC database-<name>-0 with the StatefulSet labels', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'mycas', { spec: { service: { type: 'NodePort' } } });
    await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
    const cas = (await custom.getNamespacedCustomObject({ ...REF, namespace: ns, name: 'mycas' })) as {
      metadata: { uid: string };
    };

    const pod: V1Pod = await core.readNamespacedPod({ namespace: ns, name: 'mycas-0' });
    assert.deepEqual(pod.metadata?.labels, LABELS('mycas'));
    assert.deepEqual(
      pod.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid, o.controller]),
      [['CAS', 'mycas', cas.metadata.uid, true]],
    );
    assert.deepEqual(
      pod.spec?.containers.map((c) => [c.name, c.image, c.resources?.limits?.['sgx.intel.com/enclave']]),
      [['cas', CAS_IMAGE, '1']],
    );
    assert.ok(standIns.nodes.includes(pod.spec?.nodeName ?? ''), `pod runs on ${pod.spec?.nodeName}`);
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');

    const svc = await core.readNamespacedService({ namespace: ns, name: 'mycas' });
    assert.deepEqual(svc.metadata?.labels, LABELS('mycas'));
    assert.deepEqual(svc.spec?.selector, LABELS('mycas'));
    assert.equal(svc.spec?.type, 'NodePort');
    assert.match(svc.spec?.clusterIP ?? '', /^10\.0\.0\.\d+$/);
    assert.deepEqual(
      svc.spec?.ports?.map((p) => [p.name, p.port]),
      [
        ['client', 8081],
        ['enclave', 18765],
      ],
    );
    assert.equal(svc.metadata?.ownerReferences?.[0]?.uid, cas.metadata.uid);

    const pvc = await core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'database-mycas-0' });
    assert.deepEqual(pvc.metadata?.labels, LABELS('mycas'));
    assert.equal(pvc.spec?.resources?.requests?.['storage'], '1Gi');
    assert.equal(pvc.status?.phase, 'Bound');
    assert.equal(pvc.metadata?.ownerReferences, undefined, 'a StatefulSet volume claim has no owner');
  });

  it('prints the CAS key hash and provisioning token in the pod log read through the API server', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'logcas');
    await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
    const instance = standIns.cas.get(ns, 'logcas')!;

    const log = await core.readNamespacedPodLog({ namespace: ns, name: 'logcas-0', container: 'cas' });
    // As the plugin does: grep the phrase, take the last field.
    const lastField = (phrase: string) =>
      log
        .split('\n')
        .find((l) => l.includes(phrase))
        ?.trim()
        .split(/\s+/)
        .at(-1);
    assert.equal(lastField('CAS key hash'), instance.keyHash);
    assert.equal(lastField('CAS provisioning token'), instance.provisioningToken);

    const tail = await core.readNamespacedPodLog({ namespace: ns, name: 'logcas-0', container: 'cas', tailLines: 1 });
    assert.equal(tail, `${instance.logLines.at(-1)}\n`);
  });

  it('walks Unprovisioned → Provisioned → EnablingMigration 0/3…3/3 → HEALTHY', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'walkcas');

    const unprovisioned = await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
    assert.deepEqual(
      pick(unprovisioned.status, 'state', 'provisioned', 'attestable', 'migrationNodeRatio', 'version'),
      { state: 'PENDING', provisioned: 'No', attestable: 'Yes', migrationNodeRatio: 'Disabled', version: '6.0.5' },
    );

    provision(ns, 'walkcas');
    const provisioned = await recorder.waitFor('Provisioned', isPhase('Provisioned'));
    assert.deepEqual(pick(provisioned.status, 'state', 'provisioned', 'attestable', 'migrationNodeRatio'), {
      state: 'PENDING',
      provisioned: 'Yes',
      attestable: 'Yes',
      migrationNodeRatio: 'Disabled',
    });

    await enableBackup(ns, 'walkcas');
    const healthy = await recorder.waitFor('HEALTHY', isPhase('HEALTHY'));

    assert.deepEqual(recorder.phases(), [
      'Uninitialized',
      'Unprovisioned',
      'Provisioned',
      'EnablingMigration',
      'HEALTHY',
    ]);
    assert.deepEqual(recorder.ratios(), ['Disabled', '0/3', '1/3', '2/3', '3/3']);
    assert.deepEqual(
      pick(healthy.status, 'state', 'version', 'numMigratableNodes', 'desiredNumMigratableNodes', 'migrationNodeAlert'),
      {
        state: 'HEALTHY',
        version: '6.0.5',
        numMigratableNodes: 3,
        desiredNumMigratableNodes: 3,
        migrationNodeAlert: 0,
      },
    );
    assert.deepEqual(
      healthy.status.conditions?.map((c) => [c.type, c.status, c.observedGeneration]),
      [
        ['IsHealthy', 'True', healthy.generation],
        ['OwnedObjectHealthy', 'True', healthy.generation],
      ],
    );
  });

  it('leaves and regains HEALTHY on a new spec.image, and passes EnablingMigration on a new backup-controller image', async () => {
    const ns = await newNamespace();
    const recorder = await healthyCas(ns, 'upcas');
    const oldPod = await core.readNamespacedPod({ namespace: ns, name: 'upcas-0' });

    await patchCas(ns, 'upcas', { image: 'registry.scontain.com/scone.cloud/cas:6.0.6' });
    const restarting = await recorder.waitFor('PENDING', (s) => s.state === 'PENDING');
    assert.deepEqual(pick(restarting.status, 'phase', 'version'), { phase: 'Provisioned', version: '6.0.6' });
    const upgraded = await recorder.waitFor('HEALTHY again', isPhase('HEALTHY'));
    assert.equal(upgraded.status.version, '6.0.6');
    const newPod = await core.readNamespacedPod({ namespace: ns, name: 'upcas-0' });
    assert.equal(newPod.spec?.containers[0]?.image, 'registry.scontain.com/scone.cloud/cas:6.0.6');
    assert.notEqual(newPod.metadata?.uid, oldPod.metadata?.uid, 'the pod is replaced, as a StatefulSet does');

    const before = recorder.history.length;
    await enableBackup(ns, 'upcas', 'registry.scontain.com/scone.cloud/backup-controller:6.0.6');
    await recorder.waitFor('EnablingMigration', isPhase('EnablingMigration'));
    await recorder.waitFor('HEALTHY after migration', isPhase('HEALTHY'));
    const later = recorder.history.slice(before);
    assert.deepEqual(
      later.map((e) => `${e.status.phase} ${e.status.migrationNodeRatio}`),
      [
        'EnablingMigration 0/3',
        'EnablingMigration 1/3',
        'EnablingMigration 2/3',
        'EnablingMigration 3/3',
        'HEALTHY 3/3',
      ],
    );
  });

  it('stays at Provisioned with migration Disabled when the backup controller is off', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'nobackup');
    await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
    provision(ns, 'nobackup');
    await recorder.waitFor('Provisioned', isPhase('Provisioned'));

    // An unrelated spec change is observed (observedGeneration moves) without leaving Provisioned.
    await patchCas(ns, 'nobackup', { attestedCLIProbes: false });
    const observed = await recorder.waitFor(
      'generation 2 observed',
      (s) => condition(s, 'IsHealthy')?.observedGeneration === 2,
    );
    assert.deepEqual(pick(observed.status, 'state', 'phase', 'migrationNodeRatio'), {
      state: 'PENDING',
      phase: 'Provisioned',
      migrationNodeRatio: 'Disabled',
    });
  });

  it('fault never-healthy on the Namespace: UNHEALTHY after provisioning, never HEALTHY', async () => {
    const ns = await newNamespace({ 'sandbox.casflow.dev/fault': 'never-healthy' });
    const recorder = await createCas(ns, 'sickcas');
    await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
    provision(ns, 'sickcas');
    const unhealthy = await recorder.waitFor('UNHEALTHY', isPhase('UNHEALTHY'));
    assert.deepEqual(pick(unhealthy.status, 'state', 'provisioned'), { state: 'UNHEALTHY', provisioned: 'Yes' });
    assert.equal(condition(unhealthy.status, 'IsHealthy')?.status, 'False');

    await enableBackup(ns, 'sickcas');
    const observed = await recorder.waitFor(
      'generation 2 observed',
      (s) => condition(s, 'IsHealthy')?.observedGeneration === 2,
    );
    assert.equal(observed.status.phase, 'UNHEALTHY');
    assert.deepEqual(recorder.phases(), ['Uninitialized', 'Unprovisioned', 'Provisioned', 'UNHEALTHY']);
  });

  it('fault attestation-failure on the CAS: phase AttestationFailure and the registry refuses attestation', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'badcas', {
      annotations: { 'sandbox.casflow.dev/fault': 'attestation-failure' },
    });
    const failed = await recorder.waitFor('AttestationFailure', isPhase('AttestationFailure'));

    assert.deepEqual(pick(failed.status, 'state', 'attestable', 'provisioned'), {
      state: 'UNHEALTHY',
      attestable: 'Failure',
      provisioned: 'No',
    });
    assert.equal(standIns.cas.get(ns, 'badcas')?.attestationFailure, true);
    assert.deepEqual(recorder.phases(), ['Uninitialized', 'AttestationFailure']);
  });

  it('fault attestation-failure removed from the Namespace: the CAS leaves AttestationFailure and attests', async () => {
    const ns = await newNamespace({ 'sandbox.casflow.dev/fault': 'attestation-failure' });
    const recorder = await createCas(ns, 'nsfault');
    await recorder.waitFor('AttestationFailure', isPhase('AttestationFailure'));
    assert.deepEqual(await attest(ns, 'nsfault'), {
      code: 1,
      stdout: '',
      stderr: `Error: Attestation of CAS ${ns}/nsfault failed: the CAS enclave quote could not be verified (fault attestation-failure)\n`,
    });

    // Only the Namespace changes; the CAS itself is not touched again.
    await core.patchNamespace(
      { name: ns, body: { metadata: { annotations: { 'sandbox.casflow.dev/fault': null } } } },
      mergePatch,
    );
    const unprovisioned = await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));

    assert.deepEqual(pick(unprovisioned.status, 'state', 'attestable', 'provisioned'), {
      state: 'PENDING',
      attestable: 'Yes',
      provisioned: 'No',
    });
    assert.equal(standIns.cas.get(ns, 'nsfault')?.attestationFailure, false);
    assert.deepEqual(recorder.phases(), ['Uninitialized', 'AttestationFailure', 'Unprovisioned']);
    const keyHash = standIns.cas.get(ns, 'nsfault')?.keyHash;
    assert.deepEqual(await attest(ns, 'nsfault'), {
      code: 0,
      stdout: `CAS at nsfault.${ns}:8081 is trustworthy: CAS key hash ${keyHash}\n`,
      stderr: '',
    });
  });

  it('fault snapshot-failure: phase SnapshotFailure with snapshotStatus Failed after provisioning', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'snapcas', {
      annotations: { 'sandbox.casflow.dev/fault': 'snapshot-failure' },
      spec: { databaseSnapshots: { enabled: true, interval: '24h0m0s', persistence: { enabled: true } } },
    });
    const unprovisioned = await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
    assert.deepEqual(pick(unprovisioned.status, 'snapshotStatus', 'snapshotConfiguredInterval'), {
      snapshotStatus: 'Initializing',
      snapshotConfiguredInterval: 86400,
    });
    provision(ns, 'snapcas');

    const failed = await recorder.waitFor('SnapshotFailure', isPhase('SnapshotFailure'));
    assert.deepEqual(pick(failed.status, 'state', 'snapshotStatus', 'provisioned'), {
      state: 'UNHEALTHY',
      snapshotStatus: 'Failed',
      provisioned: 'Yes',
    });
  });

  it('a node annotated never-registers leaves migration stuck at 2/3 with migrationNodeAlert 1', async () => {
    const stuckNode = standIns.nodes[1]!;
    const annotate = (value: string | null) =>
      core.patchNode(
        { name: stuckNode, body: { metadata: { annotations: { 'sandbox.casflow.dev/never-registers': value } } } },
        mergePatch,
      );
    await annotate('true');
    try {
      const ns = await newNamespace();
      const recorder = await createCas(ns, 'stuckcas');
      await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));
      provision(ns, 'stuckcas');
      await recorder.waitFor('Provisioned', isPhase('Provisioned'));
      await enableBackup(ns, 'stuckcas');

      const stuck = await recorder.waitFor('2/3', (s) => s.migrationNodeRatio === '2/3');
      assert.deepEqual(pick(stuck.status, 'state', 'phase', 'migrationNodeAlert'), {
        state: 'PENDING',
        phase: 'EnablingMigration',
        migrationNodeAlert: 1,
      });
      assert.deepEqual(
        recorder.history.map((e) => `${e.status.migrationNodeRatio} ${e.status.migrationNodeAlert}`).slice(-4),
        ['0/3 0', '1/3 0', '1/3 1', '2/3 1'],
      );

      // The node registers once the fault is lifted, which proves the CAS was waiting on it.
      await annotate(null);
      const healthy = await recorder.waitFor('HEALTHY', isPhase('HEALTHY'));
      assert.deepEqual(pick(healthy.status, 'migrationNodeRatio', 'migrationNodeAlert'), {
        migrationNodeRatio: '3/3',
        migrationNodeAlert: 0,
      });
    } finally {
      await annotate(null);
    }
  });

  it('time-scale annotation multiplies the phase delay', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'slowcas', { annotations: { 'sandbox.casflow.dev/time-scale': '4' } });
    const uninitialized = await recorder.waitFor('Uninitialized', isPhase('Uninitialized'));
    const unprovisioned = await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));

    // 4 × 300 ms; the unscaled step takes 300 ms plus API latency.
    const elapsed = unprovisioned.at - uninitialized.at;
    assert.ok(elapsed >= 1150, `Uninitialized → Unprovisioned took ${elapsed} ms, expected at least 1200`);
  });

  it('deleting a CAS deletes its pod and service and keeps the database PVC', async () => {
    const ns = await newNamespace();
    const recorder = await createCas(ns, 'delcas');
    await recorder.waitFor('Unprovisioned', isPhase('Unprovisioned'));

    await custom.deleteNamespacedCustomObject({ ...REF, namespace: ns, name: 'delcas' });
    const byName = { fieldSelector: 'metadata.name=delcas-0' };
    await waitDeleted(kc, `/api/v1/namespaces/${ns}/pods`, 'delcas-0', () =>
      core.listNamespacedPod({ namespace: ns, ...byName }),
    );
    await waitDeleted(kc, `/api/v1/namespaces/${ns}/services`, 'delcas', () =>
      core.listNamespacedService({ namespace: ns, fieldSelector: 'metadata.name=delcas' }),
    );

    const pvc = await core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'database-delcas-0' });
    assert.equal(pvc.status?.phase, 'Bound');
    assert.equal(standIns.cas.get(ns, 'delcas'), undefined);
  });
});

function pick(status: CasStatusDoc, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, status[k]]));
}
