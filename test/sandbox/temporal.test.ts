// The real Temporal dev server: the harness's instance has the default namespace and casflow's
// search attributes; a restarted instance with a database file keeps its workflows.
import { Client, Connection } from '@temporalio/client';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startTemporal, useTestServers } from '../../src/sandbox/servers/index.ts';

const servers = await useTestServers();
// temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD; @temporalio/proto is not a direct dependency.
const keyword = 2;

describe('temporal test server', () => {
  it('serves the default namespace with casflow search attributes', async () => {
    const connection = await Connection.connect({ address: servers.temporal.address });
    after(() => connection.close());

    const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
    const attrs = await connection.operatorService.listSearchAttributes({ namespace: 'default' });

    assert.equal(ns.namespaceInfo?.name, 'default');
    assert.deepEqual(
      Object.fromEntries(Object.entries(attrs.customAttributes).filter(([name]) => name.startsWith('Casflow'))),
      { CasflowInstance: keyword, CasflowNamespace: keyword, CasflowOperation: keyword, CasflowTargetVersion: keyword },
    );
  });

  it('keeps a started workflow across a restart with the same database file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'casflow-temporal-restart-'));
    after(() => rm(dir, { recursive: true, force: true }));
    const dbFile = join(dir, 'temporal.db');
    const first = await startTemporal({ logDir: dir, dbFile, log: () => undefined });
    const workflowId = 'cas/test/restart/upgrade';
    await withClient(first.address, (client) =>
      client.workflow.start('upgradeCas', { taskQueue: 'no-worker', workflowId, args: [] }),
    );
    await first.stop();

    const port = Number(first.address.split(':')[1]);
    const second = await startTemporal({ logDir: dir, dbFile, port, log: () => undefined });
    after(() => second.stop());
    const described = await withClient(second.address, (client) => client.workflow.getHandle(workflowId).describe());

    assert.equal(second.address, first.address);
    assert.equal(described.type, 'upgradeCas');
    assert.equal(described.status.name, 'RUNNING');
  });
});

async function withClient<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}
