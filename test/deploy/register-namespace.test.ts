// deploy/compose/register-namespace.sh, the compose one-shot that creates the namespace and the
// search attributes, run with the real Temporal CLI against a dev server started without them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureBinary } from '../../src/sandbox/binaries.ts';
import { freePort } from '../../src/sandbox/free-port.ts';
import { startProcess, type ManagedProcess } from '../../src/sandbox/process.ts';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes.ts';
import { repoRoot } from './compose-file.ts';

const run = promisify(execFile);
const script = join(repoRoot, 'deploy/compose/register-namespace.sh');
const namespace = 'casflow-compose';
const expectedNames = SEARCH_ATTRIBUTES.map((key) => key.name);
/** The script's own lines; the Temporal CLI's wording between them varies by version. */
const ownLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('casflow: '));

describe('register-namespace.sh', () => {
  let temporalBin = '';
  let address = '';
  let logDir = '';
  let server: ManagedProcess | undefined;

  const runScript = () =>
    run('/bin/sh', [script], {
      env: {
        PATH: `${dirname(temporalBin)}:${process.env['PATH'] ?? ''}`,
        TEMPORAL_ADDRESS: address,
        CASFLOW_TEMPORAL_NAMESPACE: namespace,
        RETENTION: '3d',
        WAIT_SECONDS: '60',
      },
      timeout: 120_000,
    });

  before(async () => {
    temporalBin = await ensureBinary('temporal');
    logDir = await mkdtemp(join(tmpdir(), 'casflow-register-ns-'));
    address = `127.0.0.1:${await freePort()}`;
    const [ip, port] = address.split(':') as [string, string];
    server = startProcess({
      name: 'temporal-bare',
      command: temporalBin,
      args: ['server', 'start-dev', '--headless', '--ip', ip, '--port', port, '--log-level', 'error'],
      logDir,
      graceMs: 10_000,
    });
  });
  after(async () => {
    await server?.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  it('registers exactly the search attributes the workflows set', async () => {
    const text = await readFile(script, 'utf8');

    const listed = /^attributes='([^']*)'$/m.exec(text)?.[1]?.split(' ');

    assert.deepEqual(listed, expectedNames);
  });

  it(
    'creates the namespace and the four Keyword search attributes on a bare server',
    { timeout: 150_000 },
    async () => {
      const { stdout } = await runScript();
      const { stdout: json } = await run(temporalBin, [
        'operator',
        'search-attribute',
        'list',
        '--address',
        address,
        '--namespace',
        namespace,
        '--output',
        'json',
      ]);
      const custom = (JSON.parse(json) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
      const { stdout: described } = await run(temporalBin, [
        'operator',
        'namespace',
        'describe',
        '--address',
        address,
        '--namespace',
        namespace,
        '--output',
        'json',
      ]);

      assert.deepEqual(ownLines(stdout), [
        `casflow: Temporal at ${address} is healthy`,
        `casflow: created namespace ${namespace} (retention 3d)`,
        ...expectedNames.map((name) => `casflow: registered search attribute ${name} (Keyword)`),
      ]);
      assert.deepEqual(
        Object.fromEntries(expectedNames.map((name) => [name, custom[name]])),
        Object.fromEntries(expectedNames.map((name) => [name, 'INDEXED_VALUE_TYPE_KEYWORD'])),
      );
      const retention = (JSON.parse(described) as { config?: { workflowExecutionRetentionTtl?: string } }).config;
      assert.equal(retention?.workflowExecutionRetentionTtl, '259200s');
    },
  );

  it('changes nothing when run again', { timeout: 150_000 }, async () => {
    const { stdout } = await runScript();

    assert.deepEqual(ownLines(stdout), [
      `casflow: Temporal at ${address} is healthy`,
      `casflow: namespace ${namespace} exists`,
      ...expectedNames.map((name) => `casflow: search attribute ${name} exists`),
    ]);
  });
});
