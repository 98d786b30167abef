// The kubelet stand-in answers the API server's container log requests for CAS pods from the
// CAS registry, and 404 for anything else.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CasRegistry } from '../../src/sandbox/cas/registry.ts';
import { startKubelet } from '../../src/sandbox/kubelet.ts';

const registry = new CasRegistry();
const instance = registry.ensureInstance('ns1', 'mycas');
const kubelet = await startKubelet({ stateDir: await mkdtemp(join(tmpdir(), 'casflow-kubelet-test-')), registry });
after(() => kubelet.stop());

function fetchLog(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The certificate is self-signed, as the API server (which does not verify it) expects.
    get({ host: '127.0.0.1', port: kubelet.port, path, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('kubelet stand-in', () => {
  it('serves the CAS container log of pod <cas>-0, one line per log line', async () => {
    const answer = await fetchLog('/containerLogs/ns1/mycas-0/cas');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, instance.logLines.map((l) => `${l}\n`).join(''));
  });

  it('honours tailLines and limitBytes', async () => {
    const tail = await fetchLog('/containerLogs/ns1/mycas-0/cas?tailLines=2');
    assert.equal(
      tail.body,
      instance.logLines
        .slice(-2)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const limited = await fetchLog('/containerLogs/ns1/mycas-0/cas?limitBytes=10');
    assert.equal(limited.body, instance.logLines[0]!.slice(0, 10));
  });

  it('answers 404 for unknown pods, containers and paths', async () => {
    assert.equal((await fetchLog('/containerLogs/ns1/other-0/cas')).status, 404);
    assert.equal((await fetchLog('/containerLogs/ns1/mycas-0/backup')).status, 404);
    assert.equal((await fetchLog('/containerLogs/ns2/mycas-0/cas')).status, 404);
    assert.equal((await fetchLog('/healthz')).status, 404);
  });
});
