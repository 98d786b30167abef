// The codec on the real Temporal server: a worker and the CLI's connection share keys, the history
// holds only ciphertext, and a client without the codec sees no marker where a plain run shows it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { connectTemporal, type TemporalAccess } from '../../src/cli/temporal-access.ts';
import { useTestServers } from '../../src/sandbox/servers/index.ts';
import { AesGcmPayloadCodec, parseCodecKeys } from '../../src/temporal/codec.ts';

const servers = await useTestServers();
const suffix = `${process.pid}-${Date.now()}`;
const encryptedQueue = `codec-encrypted-${suffix}`;
const plainQueue = `codec-plain-${suffix}`;
const codecKeys = parseCodecKeys(`k1:${randomBytes(32).toString('base64')}`);
const workflowsPath = fileURLToPath(new URL('./fixtures/echo-workflow.ts', import.meta.url));

/** Every byte of the raw history, so a marker anywhere in it (payload data or metadata) is found. */
async function rawHistory(handle: WorkflowHandle): Promise<string> {
  const history = await handle.fetchHistory();
  return Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
}

let connection: NativeConnection;
let workers: Worker[];
let running: Promise<void>[];
let plainClient: Client;
let cli: TemporalAccess;

before(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  connection = await NativeConnection.connect({ address: servers.temporal.address });
  const codec = await AesGcmPayloadCodec.create(codecKeys);
  workers = await Promise.all([
    Worker.create({
      connection,
      taskQueue: encryptedQueue,
      workflowsPath,
      dataConverter: { payloadCodecs: [codec] },
    }),
    Worker.create({ connection, taskQueue: plainQueue, workflowsPath }),
  ]);
  running = workers.map((w) => w.run());
  plainClient = new Client({ connection: await Connection.connect({ address: servers.temporal.address }) });
  cli = await connectTemporal({
    address: servers.temporal.address,
    namespace: 'default',
    taskQueue: encryptedQueue,
    codecKeys,
  });
});

after(async () => {
  for (const w of workers) w.shutdown();
  await Promise.all(running);
  await cli.close();
  await plainClient.connection.close();
  await connection.close();
});

describe('payload codec on the Temporal server', () => {
  it('keeps the marker out of the history of an encrypted run, and the CLI decodes query and result', async () => {
    const marker = `codec-marker-${randomBytes(6).toString('hex')}`;
    const workflowId = `codec-encrypted-${suffix}`;
    const { handle } = await cli.start({
      workflowType: 'echoMarker',
      workflowId,
      args: [{ marker }],
      target: { namespace: 'codec', name: 'echo', operation: 'provision' },
    });

    assert.equal(await handle.query('echoProgress'), `working on ${marker}`);
    await handle.signal('finish');
    assert.deepEqual(await handle.result(), { echoed: marker });

    const raw = await rawHistory(plainClient.workflow.getHandle(workflowId));
    assert.equal(raw.includes(marker), false);
    assert.equal(raw.includes('binary/encrypted'), true);
    await assert.rejects(plainClient.workflow.getHandle(workflowId).result(), /Unknown encoding: binary\/encrypted/);
  });

  it('shows the marker in the history of a run without the codec (the check above can fail)', async () => {
    const marker = `plain-marker-${randomBytes(6).toString('hex')}`;
    const handle = await plainClient.workflow.start('echoMarker', {
      taskQueue: plainQueue,
      workflowId: `codec-plain-${suffix}`,
      args: [{ marker }],
    });
    await handle.signal('finish');
    await handle.result();

    assert.equal((await rawHistory(handle)).includes(marker), true);
  });
});
