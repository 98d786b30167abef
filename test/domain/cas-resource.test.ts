import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backupAndProbesPatch, buildCasResource } from '../../src/domain/cas-resource.ts';
import { generateOwnerConfig, substituteVariables } from '../../src/domain/owner-config.ts';
import { parseCasStartupLines } from '../../activities/kube/pod-log.ts';
import { casWorkflowId, casServiceAddress } from '../../src/domain/names.ts';
import { parseDuration } from '../../src/domain/durations.ts';

test('buildCasResource follows the plugin template: backup controller off, snapshots on, SGX nodes', () => {
  const cas = buildCasResource({
    namespace: 'ns1',
    name: 'mycas',
    version: '6.0.5',
    imageRegistry: 'registry.scontain.com/scone.cloud',
    nonce: '0123456789abcdef0123456789abcdef',
  });
  assert.equal(cas.apiVersion, 'services.scone.cloud/v1beta1');
  assert.equal(cas.spec.image, 'registry.scontain.com/scone.cloud/cas:6.0.5');
  assert.deepEqual(cas.spec['backup-controller'], { enabled: false });
  assert.deepEqual(cas.spec.nodeSelector, { 'las.scontain.com/ok': 'true' });
  assert.deepEqual(cas.spec.databaseSnapshots, { enabled: true, interval: '24h0m0s', persistence: { enabled: true } });
  assert.equal(cas.spec.nonce, '0123456789abcdef0123456789abcdef');
});

test('buildCasResource uses --image-overwrite as the CAS image', () => {
  const cas = buildCasResource({
    namespace: 'n',
    name: 'c',
    version: '6.0.5',
    imageRegistry: 'r.example/scone',
    imageOverwrite: 'r.example/custom/cas:dev',
    nonce: '0'.repeat(32),
  });
  assert.equal(cas.spec.image, 'r.example/custom/cas:dev');
});

test('backupAndProbesPatch enables the backup controller with the register session and keeps other fields', () => {
  const ops = backupAndProbesPatch(
    { enabled: false, debug: true },
    { imageRegistry: 'r.io/s', version: '6.0.5', noBackup: false },
  );
  const backup = ops.find((op) => op.path === '/spec/backup-controller');
  assert.deepEqual(backup?.value, {
    enabled: true,
    debug: true,
    session: 'cas-owner/primary-backup/register',
    image: 'r.io/s/backup-controller:6.0.5',
  });
  assert.deepEqual(
    ops.map((op) => op.path),
    ['/spec/livenessProbe', '/spec/startupProbe', '/spec/attestedCLIProbes', '/spec/backup-controller'],
  );
});

test('backupAndProbesPatch with noBackup sets probes only', () => {
  const ops = backupAndProbesPatch(undefined, { imageRegistry: 'r.io/s', version: '6.0.5', noBackup: true });
  assert.deepEqual(
    ops.map((op) => op.path),
    ['/spec/livenessProbe', '/spec/startupProbe', '/spec/attestedCLIProbes'],
  );
});

test('generateOwnerConfig switches the audit log to a network sink for --webhook', () => {
  const config = generateOwnerConfig({
    namespace: 'ns',
    name: 'c',
    dcapKey: 'f'.repeat(32),
    webhook: 'https://audit.example/hook',
    clusterIP: '10.0.0.7',
  });
  assert.match(config, /\[audit_log\]\nmode = "signed"\nsink = "network"\nurl = "https:\/\/audit.example\/hook"/);
  assert.match(config, /\[dcap\]\nsubscription_key = "f{32}"/);
  assert.match(config, /alt_names = \[.*"c\.ns\.svc".*"10\.0\.0\.7"\]/);
});

test('substituteVariables replaces $VAR and ${VAR} and lists the missing ones', () => {
  const env: Record<string, string> = { A: '1', B_2: 'two' };
  const result = substituteVariables('a=$A b=${B_2} c=$C d=${D} $A', (n) => env[n]);
  assert.equal(result.text, 'a=1 b=two c=$C d=${D} 1');
  assert.deepEqual(result.missing, ['C', 'D']);
});

test('parseCasStartupLines takes the last field of the key hash and token lines', () => {
  const log = [
    '2026-12-04T10:00:00Z INFO starting',
    '2026-12-04T10:00:01Z INFO CAS key hash 4f2a',
    '2026-12-04T10:00:01Z INFO CAS provisioning token 99aa',
  ].join('\n');
  assert.deepEqual(parseCasStartupLines(log), { keyHash: '4f2a', provisioningToken: '99aa' });
  assert.deepEqual(parseCasStartupLines('nothing here'), {});
});

test('names derive workflow ids and the CAS address from the target', () => {
  assert.equal(casWorkflowId('ns', 'mycas', 'provision'), 'cas/ns/mycas/provision');
  assert.equal(casServiceAddress('ns', 'mycas', 8081), 'mycas.ns.svc:8081');
});

test('parseDuration reads compound durations', () => {
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('5'), undefined);
  assert.equal(parseDuration('m5'), undefined);
});
