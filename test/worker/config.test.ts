import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadWorkerConfig, WorkerConfigError } from '../../worker/config.ts';

const VALID = {
  CASFLOW_TEMPORAL_ADDRESS: '127.0.0.1:7233',
  CASFLOW_KUBECONFIG: '/tmp/kubeconfig',
  CASFLOW_SCONE_BIN: '/bin/sh',
  CASFLOW_CREDENTIAL_STORE: 'secret:casflow-system',
};

test('loadWorkerConfig accepts a complete configuration and fills defaults', () => {
  const config = loadWorkerConfig(VALID);
  assert.equal(config.CASFLOW_TASK_QUEUE, 'casflow');
  assert.equal(config.CASFLOW_TEMPORAL_NAMESPACE, 'default');
  assert.deepEqual(config.CASFLOW_CREDENTIAL_STORE, { kind: 'secret', namespace: 'casflow-system' });
  assert.equal(config.CASFLOW_SCONE_TIMEOUT, 120_000);
  assert.deepEqual(config.CASFLOW_ATTESTATION_SIGNERS, [
    '195e5a6df987d6a515dd083750c1ea352283f8364d3ec9142b0d593988c6ed2d',
    'b6c14ae06a05284253b548038e269f8225718bc0856828f491ed85174ccc2979',
  ]);
});

test('loadWorkerConfig names a missing Temporal address instead of defaulting to localhost', () => {
  const { CASFLOW_TEMPORAL_ADDRESS: _, ...rest } = VALID;
  assert.throws(
    () => loadWorkerConfig(rest),
    new WorkerConfigError('Invalid worker configuration: CASFLOW_TEMPORAL_ADDRESS: is required'),
  );
});

test('loadWorkerConfig names malformed settings with their values', () => {
  assert.throws(
    () => loadWorkerConfig({ ...VALID, CASFLOW_CREDENTIAL_STORE: 'vault:x', CASFLOW_SCONE_BIN: '/nonexistent/scone' }),
    {
      message:
        'Invalid worker configuration: CASFLOW_SCONE_BIN: must be the path of an executable scone CLI (got "/nonexistent/scone"); ' +
        'CASFLOW_CREDENTIAL_STORE: must be secret:<namespace> or dir:<absolute path> (got "vault:x")',
    },
  );
});

test('loadWorkerConfig needs a kubeconfig or in-cluster mode', () => {
  const { CASFLOW_KUBECONFIG: _, ...rest } = VALID;
  assert.throws(() => loadWorkerConfig(rest), /CASFLOW_KUBECONFIG: set CASFLOW_KUBECONFIG to a kubeconfig file/);
  const inPod = {
    ...rest,
    CASFLOW_KUBE_IN_CLUSTER: 'true',
    KUBERNETES_SERVICE_HOST: '10.0.0.1',
    KUBERNETES_SERVICE_PORT: '443',
  };
  assert.equal(loadWorkerConfig(inPod).CASFLOW_KUBE_IN_CLUSTER, 'true');
  assert.throws(() => loadWorkerConfig({ ...rest, CASFLOW_KUBE_IN_CLUSTER: 'true' }), {
    message:
      'Invalid worker configuration: CASFLOW_KUBE_IN_CLUSTER: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (not in a pod?)',
  });
});

test('loadWorkerConfig refuses unknown settings and ones only the CLI supports, instead of ignoring them', () => {
  assert.throws(() => loadWorkerConfig({ ...VALID, CASFLOW_PCS_ULR: 'https://x', CASFLOW_TEMPORAL_TLS: 'true' }), {
    message:
      'Invalid worker configuration: CASFLOW_PCS_ULR: unknown setting; ' +
      'CASFLOW_TEMPORAL_TLS: not supported by the worker yet (it connects to Temporal without TLS); unset it',
  });
  // Settings of casflow's other tools may sit in the same environment.
  assert.equal(loadWorkerConfig({ ...VALID, CASFLOW_CACHE_DIR: '/tmp/c' }).CASFLOW_TASK_QUEUE, 'casflow');
});

test('the worker process exits 2 naming a missing setting, before connecting anywhere', () => {
  const main = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));
  const { CASFLOW_SCONE_BIN: _, ...rest } = VALID;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...rest };
  const result = spawnSync(process.execPath, ['--import', 'tsx', main], { env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^casflow worker: Invalid worker configuration: CASFLOW_SCONE_BIN: /);
});

test('loadWorkerConfig accepts CASFLOW_CODEC_KEYS and leaves it unset by default', () => {
  const keys = `k2:${Buffer.alloc(32, 2).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`;

  assert.equal(loadWorkerConfig({ ...VALID, CASFLOW_CODEC_KEYS: keys }).CASFLOW_CODEC_KEYS, keys);
  assert.equal(loadWorkerConfig(VALID).CASFLOW_CODEC_KEYS, undefined);
});

test('loadWorkerConfig names a malformed CASFLOW_CODEC_KEYS entry by index, never its value', () => {
  const good = Buffer.alloc(32, 7).toString('base64');
  const short = Buffer.alloc(16, 9).toString('base64');

  assert.throws(() => loadWorkerConfig({ ...VALID, CASFLOW_CODEC_KEYS: `a:${good},b:${short}` }), {
    message:
      'Invalid worker configuration: CASFLOW_CODEC_KEYS: entry 2: key must be 32 bytes, got 16 (value not shown)',
  });
});

test('the worker process exits 2 on a malformed CASFLOW_CODEC_KEYS without printing the key', () => {
  const main = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));
  const key = Buffer.alloc(31, 5).toString('base64');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...VALID, CASFLOW_CODEC_KEYS: `only:${key}` };
  const result = spawnSync(process.execPath, ['--import', 'tsx', main], { env, encoding: 'utf8', timeout: 30_000 });

  assert.equal(result.status, 2);
  assert.equal(
    result.stderr,
    'casflow worker: Invalid worker configuration: CASFLOW_CODEC_KEYS: entry 1: key must be 32 bytes, got 31 (value not shown)\n',
  );
  assert.equal(result.stdout.includes(key) || result.stderr.includes(key), false);
});
