// CAS stand-in: the registry on its own, then attestation and provisioning through the real
// `scone` wrapper against the loopback CAS service.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CasRegistry,
  DB_KEY_INJECTION_SIGNER,
  SCONTAIN_STD_SIGNER,
  type CasInstanceState,
} from '../../src/sandbox/cas/registry.ts';
import { startPcsStub, type PcsStub } from '../../src/sandbox/pcs/stub.ts';
import {
  provisionArgs,
  TOLERATIONS,
  grepLog,
  readJson,
  startSconeSandbox,
  type SconeSandbox,
} from './helpers/scone-standin.ts';

const HEX64 = /^[0-9a-f]{64}$/;
// Without openssl the stand-in falls back to PEM-shaped certificates that do not parse.
const noOpenssl = spawnSync('openssl', ['version']).status !== 0;
const ADDR = 'mycas.default:8081';
const SIGNER_STD = ['--mrsigner', SCONTAIN_STD_SIGNER, '--isvprodid', '41316', '--isvsvn', '5'];
const SIGNER_DB = ['--mrsigner', DB_KEY_INJECTION_SIGNER, '--isvprodid', '41316', '--isvsvn', '5'];

describe('CasRegistry', () => {
  it('creates an instance once and returns the same one afterwards', () => {
    const registry = new CasRegistry();
    const first = registry.ensureInstance('default', 'mycas');
    const again = registry.ensureInstance('default', 'mycas');

    assert.equal(again, first);
    assert.match(first.keyHash, HEX64);
    assert.match(first.softwareKeyHash, HEX64);
    assert.match(first.provisioningToken, /^[0-9a-f]{32}$/);
    assert.equal(first.mrsigner, SCONTAIN_STD_SIGNER);
    assert.equal(first.owner, null);
    assert.equal(first.provisionCount, 0);
    assert.match(first.certificate, /^-----BEGIN CERTIFICATE-----\n/);
  });

  it('prints the key hash and token as the last field of their log lines, after a stand-in banner', () => {
    const state = new CasRegistry().ensureInstance('ns1', 'cas');

    assert.match(state.logLines[0]!, /casflow sandbox stand-in for SCONE CAS ns1\/cas/);
    assert.equal(grepLog(state, 'CAS key hash'), state.keyHash);
    assert.equal(grepLog(state, 'CAS provisioning token'), state.provisioningToken);
  });

  it('derives the CAS key hash from the certificate public key', { skip: noOpenssl }, () => {
    const state = new CasRegistry().ensureInstance('ns1', 'cas');
    const spki = new X509Certificate(state.certificate).publicKey.export({ type: 'spki', format: 'der' });

    assert.equal(createHash('sha256').update(spki).digest('hex'), state.keyHash);
  });

  it('resolves service addresses with and without the cluster suffix', () => {
    const registry = new CasRegistry();
    const state = registry.ensureInstance('prod', 'cas');

    for (const addr of ['cas.prod:8081', 'cas.prod.svc:8081', 'cas.prod.svc.cluster.local:18765']) {
      assert.equal(registry.resolveAddress(addr), state, addr);
    }
    for (const addr of ['cas:8081', 'cas.prod', 'cas.other:8081', 'cas.prod.example.com:8081', 'cas.prod:0']) {
      assert.equal(registry.resolveAddress(addr), undefined, addr);
    }
  });

  it('applies a changed attestation fault to an existing instance', () => {
    const registry = new CasRegistry();
    const state = registry.ensureInstance('default', 'mycas');
    registry.ensureInstance('default', 'mycas', { attestationFailure: true });

    assert.equal(state.attestationFailure, true);
  });

  it('emits changed on provisioning and on policy writes', () => {
    const registry = new CasRegistry();
    const state = registry.ensureInstance('default', 'mycas');
    const seen: Array<string | null> = [];
    registry.on('changed', (s) => seen.push(s.owner));

    registry.recordProvisioning(state, 'a'.repeat(64), '[dcap]\n');
    registry.putPolicy(state, { name: 'p', body: 'name: p\n', hash: 'b'.repeat(64), predecessor: null, creator: 'c' });

    assert.deepEqual(seen, ['a'.repeat(64), 'a'.repeat(64)]);
  });

  it('keeps instances in its state dir across restarts', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'casflow-registry-'));
    try {
      const first = new CasRegistry({ stateDir });
      const state = first.ensureInstance('default', 'mycas');
      first.recordProvisioning(state, 'a'.repeat(64), 'cfg');

      const reloaded = new CasRegistry({ stateDir }).get('default', 'mycas');

      assert.equal(reloaded?.keyHash, state.keyHash);
      assert.equal(reloaded?.owner, 'a'.repeat(64));
      assert.equal(reloaded?.provisionCount, 1);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('restores a database under another name with the same keys, owner and policies', () => {
    const registry = new CasRegistry();
    const state = registry.ensureInstance('default', 'mycas');
    registry.recordProvisioning(state, 'a'.repeat(64), 'cfg');
    registry.putPolicy(state, { name: 'p', body: 'name: p\n', hash: 'b'.repeat(64), predecessor: null, creator: 'c' });

    const restored = registry.importDatabase('drill', 'scratch', registry.exportDatabase('default', 'mycas')!);

    assert.equal(registry.resolveAddress('scratch.drill:8081'), restored);
    assert.equal(restored.keyHash, state.keyHash);
    assert.equal(restored.owner, state.owner);
    assert.equal(restored.policies.get('p')?.hash, 'b'.repeat(64));
    assert.equal(restored.provisionCount, 0);
    assert.equal(
      restored.logLines.some((l) => l.includes('CAS provisioning token')),
      false,
    );
  });
});

describe('CAS stand-in attestation and provisioning through scone', () => {
  let sb: SconeSandbox;
  let cas: CasInstanceState;
  let ownerConfig: string;
  const changes: Array<string | null> = [];

  const provision = (identity: string, opts: { token?: string; keyHash?: string; extra?: string[] } = {}) =>
    sb.scone(identity, [
      'cas',
      'provision',
      ADDR,
      '-c',
      opts.keyHash ?? cas.keyHash,
      '--token',
      opts.token ?? grepLog(cas, 'CAS provisioning token'),
      '--config-file',
      ownerConfig,
      'with-attestation',
      ...TOLERATIONS,
      ...(opts.extra ?? SIGNER_STD),
    ]);

  before(async () => {
    sb = await startSconeSandbox();
    cas = sb.registry.ensureInstance('default', 'mycas');
    sb.registry.on('changed', (s) => changes.push(s.owner));
    ownerConfig = await sb.file('owner.toml', '[dcap]\nsubscription_key = "00000000000000000000000000000000"\n');
  });
  after(() => sb.stop());

  it('refuses to attest an unprovisioned CAS without the testing flag', async () => {
    const r = await sb.scone('owner', ['cas', 'attest', ...TOLERATIONS, ADDR]);

    assert.equal(
      r.stderr,
      `Error: Attestation of CAS default/mycas failed: CAS is not provisioned (pass --only_for_testing_allow-unprovisioned-cas to attest it anyway)\n`,
    );
    assert.equal(r.code, 1);
  });

  it('refuses attestation that lacks a TCB toleration, naming it', async () => {
    const r = await sb.scone('owner', [
      'cas',
      'attest',
      '-C',
      '-S',
      '--only_for_testing_allow-unprovisioned-cas',
      ADDR,
    ]);

    assert.equal(
      r.stderr,
      'Error: Attestation of CAS default/mycas failed: TCB status needs tolerations that were not given: --accept-group-out-of-date\n',
    );
    assert.equal(r.code, 1);
  });

  it('attests an unprovisioned CAS with the flag and all tolerations and records it', async () => {
    const r = await sb.scone('owner', ['cas', 'attest', '-CGS', '--only_for_testing_allow-unprovisioned-cas', ADDR]);

    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `CAS at ${ADDR} is trustworthy: CAS key hash ${cas.keyHash}\n`);
    const config = await readJson(sb.configPath('owner'));
    assert.equal(config.default_cas, ADDR);
    assert.equal((config.cas_db as Record<string, { cas_key_hash: string }>)[ADDR]?.cas_key_hash, cas.keyHash);
  });

  it('refuses provisioning with a wrong token without echoing it', async () => {
    const r = await provision('owner', { token: 'f'.repeat(32) });

    assert.equal(r.stderr, 'Error: Provisioning of CAS default/mycas refused: wrong provisioning token\n');
    assert.equal(r.code, 1);
    assert.equal(cas.owner, null);
  });

  it('refuses provisioning with a wrong CAS key hash', async () => {
    const r = await provision('owner', { keyHash: 'e'.repeat(64) });

    assert.equal(
      r.stderr,
      `Error: Attestation of CAS default/mycas failed: CAS key hash ${cas.keyHash} does not match -c ${'e'.repeat(64)}\n`,
    );
    assert.equal(r.code, 1);
  });

  it('refuses the DB-key-injection signer, then accepts the Scontain standard signer', async () => {
    const wrong = await provision('owner', { extra: SIGNER_DB });
    assert.equal(
      wrong.stderr,
      `Error: Attestation of CAS default/mycas failed: enclave signer ${SCONTAIN_STD_SIGNER} does not match --mrsigner ${DB_KEY_INJECTION_SIGNER}\n`,
    );
    assert.equal(wrong.code, 1);
    assert.equal(cas.owner, null);

    const right = await provision('owner');
    assert.equal(right.code, 0, right.stderr);
    assert.equal(right.stdout, `CAS at ${ADDR} is provisioned; this identity is its owner\n`);

    const keyHash = (await sb.scone('owner', ['self', 'show-key-hash'])).stdout.trim();
    assert.equal(cas.owner, keyHash);
    assert.equal(cas.ownerConfig, '[dcap]\nsubscription_key = "00000000000000000000000000000000"\n');
    assert.deepEqual(changes, [keyHash]);
  });

  it('refuses a second provisioning, by the owner or anyone else', async () => {
    const byOwner = await provision('owner');
    const byOther = await provision('other');

    for (const r of [byOwner, byOther]) {
      assert.equal(r.stderr, 'Error: Provisioning of CAS default/mycas refused: CAS is already provisioned\n');
      assert.equal(r.code, 1);
    }
    assert.equal(cas.provisionCount, 1);
    assert.equal(cas.provisionAttempts, 6);
  });

  it('attests a provisioned CAS without the testing flag', async () => {
    const r = await sb.scone('other', ['cas', 'attest', ...TOLERATIONS, ...SIGNER_STD, ADDR]);

    assert.equal(r.code, 0, r.stderr);
  });

  it('prints identification and certificate of the default CAS', async () => {
    const key = await sb.scone('owner', ['cas', 'show-identification', '-c']);
    const software = await sb.scone('owner', ['cas', 'show-identification', '-s']);
    const sek = await sb.scone('owner', ['cas', 'show-identification', '--session-encryption-key']);
    const cert = await sb.scone('owner', ['cas', 'show-certificate', '--cas', 'mycas.default.svc.cluster.local:8081']);

    assert.equal(key.stdout, `${cas.keyHash}\n`);
    assert.equal(software.stdout, `${cas.softwareKeyHash}\n`);
    assert.equal(sek.stdout, `${cas.sessionEncryptionKey}\n`);
    assert.equal(
      cert.stderr,
      "Error: CAS mycas.default.svc.cluster.local:8081 has not been attested with this identity; run 'scone cas attest mycas.default.svc.cluster.local:8081' first\n",
    );
    assert.equal(cert.code, 1);
    assert.equal((await sb.scone('owner', ['cas', 'show-certificate'])).stdout, cas.certificate);
  });

  it('rejects malformed provisioning command lines as usage errors', async () => {
    const noKey = await sb.scone('owner', [
      'cas',
      'provision',
      ADDR,
      '--token',
      'a'.repeat(32),
      '--config-file',
      ownerConfig,
      'with-attestation',
    ]);
    const noSvn = await sb.scone('owner', ['cas', 'attest', ADDR, '--mrsigner', SCONTAIN_STD_SIGNER]);

    assert.equal(noKey.stderr, "Error: 'scone cas provision' needs -c <CAS key hash>\n");
    assert.equal(noKey.code, 2);
    assert.equal(noSvn.stderr, 'Error: --mrsigner needs --isvprodid and --isvsvn\n');
    assert.equal(noSvn.code, 2);
  });
});

describe('CAS stand-in attestation-failure fault', () => {
  let sb: SconeSandbox;
  let cas: CasInstanceState;
  before(async () => {
    sb = await startSconeSandbox();
    cas = sb.registry.ensureInstance('default', 'broken', { attestationFailure: true });
  });
  after(() => sb.stop());

  it('refuses attestation even with every toleration and trust-any', async () => {
    const r = await sb.scone('owner', [
      'cas',
      'attest',
      ...TOLERATIONS,
      '--only_for_testing-trust-any',
      '--only_for_testing_allow-unprovisioned-cas',
      'broken.default:8081',
    ]);

    assert.equal(
      r.stderr,
      'Error: Attestation of CAS default/broken failed: the CAS enclave quote could not be verified (fault attestation-failure)\n',
    );
    assert.equal(r.code, 1);
  });

  it('refuses provisioning with the right token and key hash', async () => {
    const config = await sb.file('owner.toml', 'enclave_reconnect_timeout = "24h"\n');
    const r = await sb.scone('owner', provisionArgs('broken.default:8081', cas, config));

    assert.equal(
      r.stderr,
      'Error: Attestation of CAS default/broken failed: the CAS enclave quote could not be verified (fault attestation-failure)\n',
    );
    assert.equal(r.code, 1);
    assert.equal(cas.owner, null);
    assert.equal(cas.provisionAttempts, 1);
  });
});

describe('CAS stand-in DCAP key check against the PCS stub', () => {
  let pcs: PcsStub;
  let sb: SconeSandbox;
  let cas: CasInstanceState;
  before(async () => {
    pcs = await startPcsStub({ subscriptionKey: '0123456789abcdef0123456789abcdef' });
    sb = await startSconeSandbox({ pcs: { url: pcs.url } });
    cas = sb.registry.ensureInstance('default', 'mycas');
  });
  after(async () => {
    await sb.stop();
    await pcs.stop();
  });

  const provisionWithKey = async (key: string) => {
    const config = await sb.file(
      `owner-${key}.toml`,
      `[api_identity]\ncommon_name = "mycas"\n\n[dcap]\nsubscription_key = "${key}"\n`,
    );
    return sb.scone('owner', provisionArgs(ADDR, cas, config));
  };

  it('refuses an owner config whose DCAP key the PCS rejects, then accepts the right key', async () => {
    const wrong = await provisionWithKey('ffffffffffffffffffffffffffffffff');
    assert.equal(
      wrong.stderr,
      'Error: Provisioning of CAS default/mycas refused: Intel PCS rejected the owner config [dcap] subscription_key (HTTP 401)\n',
    );
    assert.equal(wrong.code, 1);

    const right = await provisionWithKey('0123456789abcdef0123456789abcdef');
    assert.equal(right.code, 0, right.stderr);
    assert.deepEqual(
      pcs.requests.map((r) => [r.path, r.status, r.key]),
      [
        ['/sgx/certification/v4/qe/identity', 401, 'wrong'],
        ['/sgx/certification/v4/qe/identity', 200, 'valid'],
      ],
    );
  });
});
