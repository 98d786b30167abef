// The casflow CLI as a user runs it (a child process), against the real servers, a worker and the
// stand-ins: provisioning with a DCAP key and an owner config, the checks, a second run, a bad key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { useSandbox, type Sandbox } from '../support/sandbox.ts';
import { historyText } from '../support/history.ts';

const CASFLOW = fileURLToPath(new URL('../../bin/casflow.js', import.meta.url));
const TASK_QUEUE = 'provision-cli-test';
let sandbox: Sandbox;
let core: CoreV1Api;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function casflow(args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBECONFIG: sandbox.servers.kube.kubeconfigPath,
    CASFLOW_TEMPORAL_ADDRESS: sandbox.servers.temporal.address,
    CASFLOW_TASK_QUEUE: TASK_QUEUE,
    ...extraEnv,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CASFLOW, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function stagedSecrets(namespace: string): Promise<string[]> {
  const secrets = await core.listNamespacedSecret({ namespace });
  return secrets.items.map((s) => s.metadata?.name ?? '').filter((name) => name.startsWith('casflow-input-'));
}

before(async () => {
  sandbox = await useSandbox();
  core = sandbox.kubeConfig.makeApiClient(CoreV1Api);
  await sandbox.startWorker(TASK_QUEUE);
  await core.createNamespace({ body: { metadata: { name: 'cli-a' } } });
});

after(async () => {
  await sandbox?.stop();
});

describe('casflow provision cas (CLI)', () => {
  test('provisions with a DCAP key and an env-substituted owner config, then prints the keys', async () => {
    const ownerConfig = join(sandbox.dir, 'owner-config.toml');
    await writeFile(
      ownerConfig,
      [
        'enclave_reconnect_timeout = "24h"',
        '[api_identity]',
        'common_name = "viacli"',
        '[dcap]',
        'subscription_key = "$MY_DCAP_KEY"',
        '[audit_log]',
        'mode = "signed"',
        'sink = "network"',
        'url = "${AUDIT_URL}"',
        '',
      ].join('\n'),
    );
    const dcapKey = sandbox.standIns.pcs.subscriptionKey;

    const run = await casflow(
      ['provision', 'cas', 'viacli', '-n', 'cli-a', '--dcap-api', dcapKey, '--owner-config', ownerConfig, '--wait'],
      { MY_DCAP_KEY: dcapKey, AUDIT_URL: 'https://audit.example/hook' },
    );

    assert.equal(run.code, 0, run.stderr);
    const instance = sandbox.standIns.cas.get('cli-a', 'viacli')!;
    assert.match(run.stdout, new RegExp(`^export CAS_KEY="${instance.keyHash}"$`, 'm'));
    assert.match(run.stdout, new RegExp(`^export CAS_SOFTWARE_KEY="${instance.softwareKeyHash}"$`, 'm'));
    assert.ok(!run.stdout.includes(dcapKey) && !run.stderr.includes(dcapKey), 'the DCAP key is never printed');

    assert.equal(instance.provisionCount, 1);
    assert.match(instance.ownerConfig ?? '', /url = "https:\/\/audit\.example\/hook"/);
    assert.match(instance.ownerConfig ?? '', new RegExp(`subscription_key = "${dcapKey}"`));
    assert.deepEqual([...instance.policies.keys()].sort(), ['cas-owner', 'cas-owner/primary-backup', 'provisioned']);

    const cas = (await sandbox.kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
      group: 'services.scone.cloud',
      version: 'v1beta1',
      plural: 'cas',
      namespace: 'cli-a',
      name: 'viacli',
    })) as { spec: Record<string, { enabled?: boolean }>; status: { state: string } };
    assert.equal(cas.status.state, 'HEALTHY');
    assert.equal(cas.spec['backup-controller']?.enabled, true);
    assert.equal(cas.spec.livenessProbe?.enabled, true);

    // The staged input Secret is gone once the workflow has ended.
    assert.deepEqual(await stagedSecrets('cli-a'), []);
    const history = await historyText(sandbox.client.workflow.getHandle('cas/cli-a/viacli/provision'));
    assert.ok(history.includes('"name":"viacli"'), 'payloads are decoded in the searched text');
    assert.ok(!history.includes(dcapKey), 'the DCAP key is not in the workflow history');
    assert.ok(!history.includes('audit.example'), 'the owner config is not in the workflow history');
  });

  test('--is-provisioned says YES for it and NO for a CAS that does not exist', async () => {
    const yes = await casflow(['provision', 'cas', 'viacli', '-n', 'cli-a', '--is-provisioned']);
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(yes.stdout.trim(), 'YES');
    const no = await casflow(['provision', 'cas', 'nothere', '-n', 'cli-a', '--is-provisioned']);
    assert.equal(no.code, 1);
    assert.equal(no.stdout.trim(), 'NO');
  });

  test('--verify attests it and --print-public-keys prints the keys the CAS holds', async () => {
    const verify = await casflow(['provision', 'cas', 'viacli', '-n', 'cli-a', '--verify']);
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /CAS 'viacli' in namespace 'cli-a' is attestable and provisioned\./);

    const keys = await casflow(['provision', 'cas', 'viacli', '-n', 'cli-a', '--print-public-keys']);
    const instance = sandbox.standIns.cas.get('cli-a', 'viacli')!;
    assert.equal(keys.code, 0, keys.stderr);
    assert.match(keys.stdout, new RegExp(`^export CAS_KEY="${instance.keyHash}"$`, 'm'));
    assert.match(
      keys.stdout,
      new RegExp(`^export CAS_SESSION_ENCRYPTION_KEY="${instance.sessionEncryptionKey}"$`, 'm'),
    );
  });

  test('a second provisioning reports "already provisioned", exits 0 and sends nothing to the CAS', async () => {
    const instance = sandbox.standIns.cas.get('cli-a', 'viacli')!;
    const attempts = instance.provisionAttempts;
    const run = await casflow(['provision', 'cas', 'viacli', '-n', 'cli-a']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /already provisioned/);
    assert.equal(instance.provisionAttempts, attempts);
  });

  test('a DCAP key that PCS refuses fails before the CAS is created, without echoing the key', async () => {
    const wrongKey = 'abcdefabcdefabcdefabcdefabcdef12';
    const run = await casflow(['provision', 'cas', 'badkey', '-n', 'cli-a', '--dcap-api', wrongKey]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /The DCAP key \(from the input Secret\) was refused by Intel PCS \(HTTP 401\)/);
    assert.ok(!run.stderr.includes(wrongKey) && !run.stdout.includes(wrongKey));
    assert.equal(sandbox.standIns.cas.get('cli-a', 'badkey'), undefined);
    assert.deepEqual(await stagedSecrets('cli-a'), [], 'a failed provisioning removes its input Secret too');
  });

  test('two CLIs racing to provision one CAS: one starts, the other attaches, one run, no Secret left', async () => {
    const key = sandbox.standIns.pcs.subscriptionKey;
    const args = ['provision', 'cas', 'racer', '-n', 'cli-a', '--dcap-api', key, '--wait'];
    const runs = await Promise.all([casflow(args), casflow(args), casflow(args)]);

    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const started = runs.filter((run) => run.stderr.includes('Started workflow cas/cli-a/racer/provision'));
    assert.equal(started.length, 1, runs.map((r) => r.stderr.split('\n')[0]).join(' | '));
    assert.equal(runs.filter((run) => run.stderr.includes('attached to running workflow')).length, 2);
    const executions = sandbox.client.workflow.list({ query: 'WorkflowId = "cas/cli-a/racer/provision"' });
    let count = 0;
    for await (const _ of executions) count += 1;
    assert.equal(count, 1);
    assert.equal(sandbox.standIns.cas.get('cli-a', 'racer')?.provisionCount, 1);
    assert.deepEqual(await stagedSecrets('cli-a'), []);
  });

  test('--wait on an already provisioned CAS waits for HEALTHY rather than reporting success', async () => {
    await core.createNamespace({
      body: { metadata: { name: 'cli-sick', annotations: { 'sandbox.casflow.dev/fault': 'never-healthy' } } },
    });
    const first = await casflow(['provision', 'cas', 'sick', '-n', 'cli-sick', '--wait', '--timeout-healthy', '5s']);
    assert.equal(first.code, 1);
    const again = await casflow(['provision', 'cas', 'sick', '-n', 'cli-sick', '--wait', '--timeout-healthy', '5s']);
    assert.equal(again.code, 1, again.stdout);
    assert.match(
      again.stderr,
      /Deadline passed for CAS sick in namespace cli-sick waiting for status\.state to be HEALTHY/,
    );
    const noWait = await casflow(['provision', 'cas', 'sick', '-n', 'cli-sick']);
    assert.equal(noWait.code, 0, noWait.stderr);
    assert.match(noWait.stdout, /already provisioned/);
  });

  test('a YAML owner config travels as TOML and provisions', async () => {
    const config = join(sandbox.dir, 'owner.yaml');
    const key = sandbox.standIns.pcs.subscriptionKey;
    await writeFile(
      config,
      `enclave_reconnect_timeout: 24h\ndcap:\n  subscription_key: "${key}"\naudit_log:\n  mode: signed\n  sink: file\n`,
    );
    const run = await casflow(['provision', 'cas', 'yamlcfg', '-n', 'cli-a', '-o', config]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(sandbox.standIns.cas.get('cli-a', 'yamlcfg')?.ownerConfig ?? '', /\[audit_log\]\nmode = "signed"/);
  });

  test('--webhook with --owner-config is refused, and an owner config that is not TOML too', async () => {
    const config = join(sandbox.dir, 'broken.toml');
    await writeFile(config, 'this is [not toml\n');
    const broken = await casflow(['provision', 'cas', 'broken', '-n', 'cli-a', '-o', config]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /is not valid TOML at line 1, column 6/);

    const good = join(sandbox.dir, 'good.toml');
    await writeFile(good, '[audit_log]\nmode = "signed"\n');
    const both = await casflow([
      'provision',
      'cas',
      'both',
      '-n',
      'cli-a',
      '-o',
      good,
      '--webhook',
      'https://a.example/h',
    ]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--webhook cannot be combined with --owner-config/);
    assert.deepEqual(await stagedSecrets('cli-a'), []);
  });
});
