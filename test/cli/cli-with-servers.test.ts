// runCli against the real Temporal dev server and kube-apiserver, with stand-in workflows: the
// Secret, the workflow input, search attributes, following output, attach, Ctrl-C and the checks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { runCli } from '../../src/cli/run-cli.ts';
import { kubeConfigFor, useTestServers } from '../../src/sandbox/servers/index.ts';
import { historyText } from '../support/history.ts';

const servers = await useTestServers();
const taskQueue = `cli-test-${process.pid}`;
const namespace = `cli-test-${process.pid}`;
const home = mkdtempSync(join(tmpdir(), 'casflow-cli-servers-'));
const core = kubeConfigFor(servers.kube).makeApiClient(CoreV1Api);
const dcapKey = '0123456789abcdef0123456789abcdef';
const ownerConfig = join(home, 'owner.toml');
writeFileSync(ownerConfig, '[dcap]\nsubscription_key = "$DCAP_KEY"\n[audit_log]\nurl = "${AUDIT_URL}"\n');

const env = {
  PATH: process.env.PATH,
  HOME: home,
  KUBECONFIG: servers.kube.kubeconfigPath,
  CASFLOW_TEMPORAL_ADDRESS: servers.temporal.address,
  CASFLOW_TASK_QUEUE: taskQueue,
  AUDIT_URL: 'https://audit.example.com/log',
};

async function cli(argv: string[], options: { signal?: AbortSignal; program?: 'kubectl-provision' } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (chunk: Buffer) => (text.out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (text.err += chunk.toString()));
  const code = await runCli(argv, { env, stdout, stderr, cwd: home, ...options });
  return { code, stdout: text.out, stderr: text.err };
}

let client: Client;
let worker: Worker;
let running: Promise<void>;

before(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  const connection = await NativeConnection.connect({ address: servers.temporal.address });
  worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./fixtures/stub-workflows.ts', import.meta.url)),
  });
  running = worker.run();
  client = new Client({ connection: await Connection.connect({ address: servers.temporal.address }) });
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});

after(async () => {
  worker.shutdown();
  await running;
  await client.connection.close();
});

describe('casflow provision cas (stand-in workflows)', () => {
  it('stores the DCAP key and owner config in a Secret, starts provisionCas and prints the result', async () => {
    const result = await cli(['provision', 'cas', 'good', '-n', namespace, '-d', dcapKey, '-o', 'owner.toml']);
    const workflowId = `cas/${namespace}/good/provision`;

    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        `CAS good in namespace ${namespace} is provisioned.`,
        'export CAS_KEY="aa11"',
        'export CAS_SOFTWARE_KEY="bb22"',
        'export CAS_SESSION_ENCRYPTION_KEY="cc33"',
        'export CAS_CERT="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"',
        '',
      ].join('\n'),
    );
    assert.ok(result.stderr.startsWith(`Started workflow ${workflowId}\n`), result.stderr);
    assert.ok(result.stderr.includes('[1/2] create-cas: done (created)\n'), result.stderr);
    assert.ok(result.stderr.includes('[2/2] wait-ready: done (HEALTHY)\n'), result.stderr);
    assert.ok(result.stderr.endsWith('Warning: stub\n'), result.stderr);

    // The stub workflow does not delete the staged Secret, so it is there to inspect.
    const staged = (await core.listNamespacedSecret({ namespace })).items.filter((item) =>
      /^casflow-input-good-[0-9a-f]{6}$/.test(item.metadata?.name ?? ''),
    );
    assert.equal(staged.length, 1, 'one staged Secret per start');
    const secret = staged[0]!;
    assert.equal(secret.type, 'Opaque');
    assert.equal(secret.metadata?.labels?.['app.kubernetes.io/managed-by'], 'casflow');
    assert.equal(Buffer.from(secret.data!.dcapKey!, 'base64').toString(), dcapKey);
    assert.equal(
      Buffer.from(secret.data!.ownerConfig!, 'base64').toString(),
      `[dcap]\nsubscription_key = "${dcapKey}"\n[audit_log]\nurl = "https://audit.example.com/log"\n`,
    );

    const handle = client.workflow.getHandle(workflowId);
    const history = await historyText(handle);
    assert.ok(history.includes('"name":"good"'), 'payloads are decoded in the searched text');
    assert.ok(!history.includes(dcapKey));
    const description = await handle.describe();
    assert.deepEqual(description.searchAttributes.CasflowInstance, ['good']);
    assert.deepEqual(description.searchAttributes.CasflowNamespace, [namespace]);
    assert.deepEqual(description.searchAttributes.CasflowOperation, ['provision']);
  });

  it('refuses a namespace that does not exist, before starting anything', async () => {
    const result = await cli(['provision', 'cas', 'good', '-n', 'no-such-ns', '-d', dcapKey]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'Error: namespace "no-such-ns" does not exist\n');
    await assert.rejects(client.workflow.getHandle('cas/no-such-ns/good/provision').describe());
  });

  it('prints the root cause of a failed workflow and exits 1', async () => {
    const result = await cli(['provision', 'cas', 'failing', '-n', namespace]);
    const workflowId = `cas/${namespace}/failing/provision`;
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.endsWith(
        `Error: CAS failing in namespace ${namespace}: status.state stayed PENDING until the deadline\n` +
          `Workflow ${workflowId} failed; details: temporal workflow show --workflow-id ${workflowId}\n`,
      ),
      result.stderr,
    );
  });

  it('--detach prints the id; a second run attaches, and Ctrl-C leaves the workflow running', async () => {
    const workflowId = `cas/${namespace}/slow/provision`;
    const detached = await cli(['provision', 'cas', 'slow', '-n', namespace, '--detach']);
    assert.equal(detached.code, 0, detached.stderr);
    assert.equal(detached.stdout, `${workflowId}\n`);

    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 1500);
    const attached = await cli(['cas', 'slow', '-n', namespace, '-d', dcapKey], {
      signal: interrupt.signal,
      program: 'kubectl-provision',
    });
    assert.equal(attached.code, 130);
    assert.ok(
      attached.stderr.startsWith(
        `Note: attached to running workflow ${workflowId}; it keeps the options it was started with.\n`,
      ),
      attached.stderr,
    );
    assert.ok(attached.stderr.includes('[2/2] wait-ready: running\n'), attached.stderr);
    assert.ok(
      attached.stderr.endsWith(
        `Stopped following; workflow ${workflowId} keeps running (it was not cancelled).\n` +
          `Run the same command again to re-attach, or: temporal workflow describe --workflow-id ${workflowId}\n`,
      ),
      attached.stderr,
    );
    // Attaching did not write the Secret: the running workflow was started without one.
    await assert.rejects(core.readNamespacedSecret({ name: 'casflow-input-slow', namespace }));

    const handle = client.workflow.getHandle(workflowId);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.terminate('test done');
  });

  it('--output json prints one object per progress change and the result last', async () => {
    const result = await cli(['provision', 'cas', 'jsonout', '-n', namespace, '--output', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    assert.ok(lines.length >= 2);
    assert.ok(lines.slice(0, -1).every((line) => line.type === 'progress'));
    assert.deepEqual(lines.at(-1), {
      type: 'result',
      workflowId: `cas/${namespace}/jsonout/provision`,
      result: {
        outcome: 'provisioned',
        namespace,
        name: 'jsonout',
        keys: {
          casKey: 'aa11',
          casSoftwareKey: 'bb22',
          casSessionEncryptionKey: 'cc33',
          casCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        },
        warnings: ['stub'],
      },
    });
  });
});

describe('casflow checks (stand-in workflows)', () => {
  it('--is-provisioned prints YES (0) or NO (1)', async () => {
    assert.deepEqual(await cli(['provision', 'cas', 'good', '-n', namespace, '--is-provisioned']), {
      code: 0,
      stdout: 'YES\n',
      stderr: '',
    });
    assert.deepEqual(await cli(['provision', 'cas', 'fresh', '-n', namespace, '--is-provisioned']), {
      code: 1,
      stdout: 'NO\n',
      stderr: '',
    });
  });

  it('--verify prints the plugin sentence, or why not', async () => {
    assert.deepEqual(await cli(['provision', 'cas', 'good', '-n', namespace, '--verify']), {
      code: 0,
      stdout: `CAS 'good' in namespace '${namespace}' is attestable and provisioned.\n`,
      stderr: '',
    });
    assert.deepEqual(await cli(['provision', 'cas', 'fresh', '-n', namespace, '--verify']), {
      code: 1,
      stdout: '',
      stderr: `Error: CAS 'fresh' in namespace '${namespace}' is not provisioned.\n`,
    });
  });

  it('--print-public-keys prints export lines only', async () => {
    const result = await cli(['provision', 'cas', 'good', '-n', namespace, '--print-public-keys']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      'export CAS_KEY="aa11"\nexport CAS_SOFTWARE_KEY="bb22"\nexport CAS_SESSION_ENCRYPTION_KEY="cc33"\n' +
        'export CAS_CERT="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"\n',
    );
  });
});
