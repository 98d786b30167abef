// startStandIns end to end: the scone stand-in provisions a CAS the operator stand-in created,
// reading key hash and token from the pod log as the plugin does, and the operator reports it.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { kubeConfigFor, useTestServers } from '../../src/sandbox/servers/index.ts';
import { startStandIns } from '../../src/sandbox/standins.ts';
import { CasStatusRecorder } from './helpers/cas-status-watch.ts';

const run = promisify(execFile);
const servers = await useTestServers();
const kc = kubeConfigFor(servers.kube);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const work = await mkdtemp(join(tmpdir(), 'casflow-standins-test-'));
const standIns = await startStandIns({ kube: servers.kube, stateDir: join(work, 'state') });
after(() => standIns.stop());

const STD_SIGNER = [
  '--isvprodid',
  '41316',
  '--isvsvn',
  '5',
  '--mrsigner',
  'b6c14ae06a05284253b548038e269f8225718bc0856828f491ed85174ccc2979',
];
const scone = (args: string[]) =>
  run(standIns.sconeBin, args, { env: { ...process.env, SCONE_CLI_CONFIG: join(work, 'identity.json') } }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );

async function createCas(annotations?: Record<string, string>): Promise<{ ns: string; recorder: CasStatusRecorder }> {
  const ns = `si-${randomBytes(4).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const recorder = await CasStatusRecorder.start(kc, ns, 'cas');
  after(() => recorder.stop());
  await custom.createNamespacedCustomObject({
    group: 'services.scone.cloud',
    version: 'v1beta1',
    plural: 'cas',
    namespace: ns,
    body: { apiVersion: 'services.scone.cloud/v1beta1', kind: 'CAS', metadata: { name: 'cas', annotations }, spec: {} },
  });
  return { ns, recorder };
}

describe('startStandIns', () => {
  it('lets scone provision a CAS with the key hash and token from its pod log; the CAS turns Provisioned', async () => {
    const { ns, recorder } = await createCas();
    await recorder.waitFor('Unprovisioned', (s) => s.phase === 'Unprovisioned');

    const log = await core.readNamespacedPodLog({ namespace: ns, name: 'cas-0', container: 'cas' });
    const lastField = (phrase: string) =>
      log
        .split('\n')
        .find((l) => l.includes(phrase))!
        .trim()
        .split(/\s+/)
        .at(-1)!;
    const config = join(work, 'owner.toml');
    await writeFile(config, `[dcap]\nsubscription_key = "${standIns.pcs.subscriptionKey}"\n`);
    const provisioned = await scone([
      'cas',
      'provision',
      `cas.${ns}:8081`,
      '-c',
      lastField('CAS key hash'),
      '--token',
      lastField('CAS provisioning token'),
      '--config-file',
      config,
      'with-attestation',
      '-C',
      '-G',
      '-S',
      ...STD_SIGNER,
    ]);
    assert.deepEqual(provisioned, { code: 0, stderr: '' });

    const status = await recorder.waitFor('Provisioned', (s) => s.phase === 'Provisioned');
    assert.equal(status.status.provisioned, 'Yes');
    assert.equal(standIns.cas.get(ns, 'cas')?.provisionCount, 1);
  });

  it('makes scone cas attest fail for a CAS annotated attestation-failure', async () => {
    const { ns, recorder } = await createCas({ 'sandbox.casflow.dev/fault': 'attestation-failure' });
    await recorder.waitFor('AttestationFailure', (s) => s.phase === 'AttestationFailure');

    const attest = await scone([
      'cas',
      'attest',
      '-C',
      '-G',
      '-S',
      '--only_for_testing_allow-unprovisioned-cas',
      ...STD_SIGNER,
      `cas.${ns}:8081`,
    ]);
    assert.notEqual(attest.code, 0);
    assert.equal(
      attest.stderr,
      `Error: Attestation of CAS ${ns}/cas failed: the CAS enclave quote could not be verified (fault attestation-failure)\n`,
    );
  });

  it('points LAS spec.dcapKey at the PCS stub subscription key', async () => {
    const las = (await custom.getClusterCustomObject({
      group: 'base.scone.cloud',
      version: 'v1beta1',
      plural: 'las',
      name: 'las',
    })) as {
      spec: { dcapKey: string };
    };
    assert.equal(las.spec.dcapKey, standIns.pcs.subscriptionKey);
  });
});
