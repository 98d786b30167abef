// Intel PCS stub: subscription-key checks, the v4 routes casflow may call, Intel's headers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startPcsStub, type PcsStub } from '../../src/sandbox/pcs/stub.ts';

const KEY = '0123456789abcdef0123456789abcdef';
const V4 = '/sgx/certification/v4';
const PPID = 'ab'.repeat(384);
// Without openssl the stub serves PEM-shaped certificates that do not parse.
const noOpenssl = spawnSync('openssl', ['version']).status !== 0;

describe('PCS stub', () => {
  let pcs: PcsStub;
  const get = (path: string, key?: string) =>
    fetch(`${pcs.url}${path}`, { headers: key === undefined ? {} : { 'Ocp-Apim-Subscription-Key': key } });

  before(async () => {
    pcs = await startPcsStub({ subscriptionKey: KEY });
  });
  after(() => pcs.stop());

  it('refuses a missing subscription key with 401 and an APIM-style body', async () => {
    const res = await get(`${V4}/tcb?fmspc=00906ED50000`);

    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      statusCode: 401,
      message:
        'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    });
    assert.match(res.headers.get('request-id') ?? '', /^[0-9a-f]{32}$/);
  });

  it('refuses a wrong subscription key with 401', async () => {
    const res = await get(`${V4}/qe/identity`, 'ffffffffffffffffffffffffffffffff');

    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { message: string }).message, /^Access denied due to invalid subscription key/);
  });

  it('answers TCB info for an FMSPC with the right key', async () => {
    const res = await get(`${V4}/tcb?fmspc=00906ED50000`, KEY);
    const body = (await res.json()) as { tcbInfo: { fmspc: string; version: number; tcbLevels: unknown[] } };

    assert.equal(res.status, 200);
    assert.equal(body.tcbInfo.fmspc, '00906ed50000');
    assert.equal(body.tcbInfo.version, 3);
    assert.ok(body.tcbInfo.tcbLevels.length > 0);
    assert.match(decodeURIComponent(res.headers.get('tcb-info-issuer-chain') ?? ''), /^-----BEGIN CERTIFICATE-----/);
  });

  it('answers QE and QVE identities with the enclave identity issuer chain', async () => {
    for (const [path, id] of [
      ['qe/identity', 'QE'],
      ['qve/identity', 'QVE'],
    ] as const) {
      const res = await get(`${V4}/${path}`, KEY);
      const body = (await res.json()) as { enclaveIdentity: { id: string } };

      assert.equal(res.status, 200, path);
      assert.equal(body.enclaveIdentity.id, id);
      assert.ok(res.headers.get('sgx-enclave-identity-issuer-chain'));
    }
  });

  it('answers a PCK certificate that parses, with TCBm, FMSPC and CA type headers', { skip: noOpenssl }, async () => {
    const cpusvn = '0'.repeat(32);
    const res = await get(`${V4}/pckcert?encrypted_ppid=${PPID}&cpusvn=${cpusvn}&pcesvn=0d00&pceid=0000`, KEY);

    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-pem-file');
    assert.equal(res.headers.get('sgx-tcbm'), `${cpusvn}0d00`);
    assert.equal(res.headers.get('sgx-fmspc'), '00906ED50000');
    assert.equal(res.headers.get('sgx-pck-certificate-ca-type'), 'processor');
    assert.match(new X509Certificate(await res.text()).subject, /CN=Intel SGX PCK Certificate/);
  });

  it('answers all PCK certificates and the PCK CRL in PEM and DER', async () => {
    const certs = await get(`${V4}/pckcerts?encrypted_ppid=${PPID}&pceid=0000`, KEY);
    const pem = await get(`${V4}/pckcrl?ca=processor`, KEY);
    const der = await get(`${V4}/pckcrl?ca=platform&encoding=der`, KEY);

    assert.equal(certs.status, 200);
    assert.match(((await certs.json()) as Array<{ tcbm: string }>)[0]!.tcbm, /^[0-9a-f]{36}$/);
    assert.match(await pem.text(), /^-----BEGIN X509 CRL-----\n/);
    assert.ok(pem.headers.get('sgx-pck-crl-issuer-chain'));
    assert.equal(der.headers.get('content-type'), 'application/pkix-crl');
  });

  it('answers 400 for malformed parameters and 404 for unknown routes', async () => {
    assert.equal((await get(`${V4}/tcb?fmspc=xyz`, KEY)).status, 400);
    assert.equal((await get(`${V4}/pckcrl?ca=other`, KEY)).status, 400);
    assert.equal((await get(`${V4}/nothing`, KEY)).status, 404);
    assert.equal((await get('/sgx/certification/v3/tcb?fmspc=00906ED50000', KEY)).status, 404);
  });

  it('records every request with its key state but not the key', () => {
    const first = pcs.requests.slice(0, 3);

    assert.deepEqual(first, [
      { method: 'GET', path: `${V4}/tcb`, status: 401, key: 'missing' },
      { method: 'GET', path: `${V4}/qe/identity`, status: 401, key: 'wrong' },
      { method: 'GET', path: `${V4}/tcb`, status: 200, key: 'valid' },
    ]);
    assert.equal(JSON.stringify(pcs.requests).includes(KEY), false);
  });
});
