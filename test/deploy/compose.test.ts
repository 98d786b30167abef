// docker-compose.yml: pinned images, no deprecated auto-setup, the start order, and a worker
// environment that passes the worker's own configuration check.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadWorkerConfig, WorkerConfig } from '../../worker/config.ts';
import { readComposeFile, service, type ComposeFile } from './compose-file.ts';

const requiredSettings = Object.entries(WorkerConfig.shape)
  .filter(([, schema]) => !schema.safeParse(undefined).success)
  .map(([name]) => name)
  .sort();

describe('docker-compose.yml', () => {
  let compose: ComposeFile;
  before(async () => {
    compose = await readComposeFile();
  });

  it('pins each image to an exact version', () => {
    const images = Object.fromEntries(Object.entries(compose.services).map(([name, s]) => [name, s.image]));

    assert.deepEqual(images, {
      postgresql: 'postgres:16.11',
      'temporal-schema': 'temporalio/admin-tools:1.30.1',
      temporal: 'temporalio/server:1.30.1',
      'temporal-namespace': 'temporalio/admin-tools:1.30.1',
      'temporal-ui': 'temporalio/ui:2.34.0',
      'casflow-worker': 'casflow-worker:0.1.0',
    });
    for (const [name, image] of Object.entries(images)) {
      assert.match(image ?? '', /^[a-z0-9./-]+:\d+(\.\d+)+$/, `service ${name}: image ${image} is not pinned`);
    }
  });

  it('uses no temporalio/auto-setup image, which is no longer built', () => {
    const autoSetup = Object.values(compose.services).filter((s) => s.image?.startsWith('temporalio/auto-setup'));

    assert.deepEqual(autoSetup, []);
  });

  it('starts the server only after the schema job succeeded, and the worker after registration', () => {
    const conditions = Object.fromEntries(
      Object.entries(compose.services).map(([name, s]) => [
        name,
        Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([dep, d]) => [dep, d.condition])),
      ]),
    );

    assert.deepEqual(conditions, {
      postgresql: {},
      'temporal-schema': { postgresql: 'service_healthy' },
      temporal: { 'temporal-schema': 'service_completed_successfully' },
      'temporal-namespace': { temporal: 'service_healthy' },
      'temporal-ui': { temporal: 'service_healthy' },
      'casflow-worker': { 'temporal-namespace': 'service_completed_successfully' },
    });
    assert.deepEqual(service(compose, 'postgresql').healthcheck?.test, [
      'CMD-SHELL',
      'pg_isready -U temporal -d postgres',
    ]);
    assert.deepEqual(service(compose, 'temporal').healthcheck?.test, ['CMD', 'nc', '-z', 'localhost', '7233']);
  });

  it('points the server and the schema job at PostgreSQL with the postgres12 plugin', () => {
    for (const name of ['temporal', 'temporal-schema']) {
      const env = service(compose, name).environment ?? {};
      assert.equal(env['DB'], 'postgres12', `${name}: DB`);
      assert.equal(env['POSTGRES_SEEDS'], 'postgresql', `${name}: POSTGRES_SEEDS`);
      assert.equal(env['DB_PORT'], '5432', `${name}: DB_PORT`);
    }
    assert.deepEqual(service(compose, 'temporal-schema').entrypoint, ['/bin/sh', '/casflow/setup-schema.sh']);
    assert.deepEqual(service(compose, 'temporal-namespace').entrypoint, ['/bin/sh', '/casflow/register-namespace.sh']);
  });

  it('sets every setting the worker requires', () => {
    const env = service(compose, 'casflow-worker').environment ?? {};

    assert.deepEqual(requiredSettings, ['CASFLOW_CREDENTIAL_STORE', 'CASFLOW_SCONE_BIN', 'CASFLOW_TEMPORAL_ADDRESS']);
    for (const name of requiredSettings) assert.ok(env[name], `casflow-worker: ${name} is not set`);
    assert.ok(env['CASFLOW_KUBECONFIG'] || env['CASFLOW_KUBE_IN_CLUSTER'] === 'true', 'no Kubernetes access set');
  });

  it('sets only settings the worker knows', () => {
    const env = service(compose, 'casflow-worker').environment ?? {};
    const known = new Set(Object.keys(WorkerConfig.shape));

    const unknown = Object.keys(env).filter((name) => !known.has(name));

    assert.deepEqual(unknown, []);
  });

  it('gives the worker settings its configuration check accepts', () => {
    const env = service(compose, 'casflow-worker').environment ?? {};
    // The image's CLI path does not exist here; any executable stands in for it.
    const config = loadWorkerConfig({ ...env, CASFLOW_SCONE_BIN: process.execPath });

    assert.equal(config.CASFLOW_TEMPORAL_ADDRESS, 'temporal:7233');
    assert.equal(config.CASFLOW_TEMPORAL_NAMESPACE, 'default');
    assert.equal(config.CASFLOW_TASK_QUEUE, 'casflow');
    assert.equal(config.CASFLOW_KUBECONFIG, '/kube/config');
    assert.deepEqual(config.CASFLOW_CREDENTIAL_STORE, { kind: 'secret', namespace: 'casflow-system' });
    assert.equal(config.CASFLOW_PCS_URL, 'https://api.trustedservices.intel.com');
    assert.equal(env['CASFLOW_SCONE_BIN'], '/usr/local/bin/scone');
  });

  it('mounts the kubeconfig read-only where CASFLOW_KUBECONFIG points', () => {
    const worker = service(compose, 'casflow-worker');

    assert.equal(worker.environment?.['CASFLOW_KUBECONFIG'], '/kube/config');
    assert.deepEqual(worker.volumes, ['~/.kube/config:/kube/config:ro']);
  });

  it('restarts the worker and gives it longer to stop than its 30 s shutdownForceTime', () => {
    const worker = service(compose, 'casflow-worker');

    assert.equal(worker.restart, 'unless-stopped');
    assert.equal(worker.stop_grace_period, '45s');
    assert.equal(worker.read_only, true);
    assert.equal(worker.user, '1000:1000');
  });
});
