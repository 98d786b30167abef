// scone stand-in: sessions, identity file and command-line behaviour, through the real
// wrapper executable against the CAS stand-in service.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SCONTAIN_STD_SIGNER, type CasInstanceState } from '../../src/sandbox/cas/registry.ts';
import {
  provisionArgs,
  TOLERATIONS,
  readJson,
  run,
  startSconeSandbox,
  type SconeSandbox,
} from './helpers/scone-standin.ts';

const ADDR = 'mycas.default:8081';
const ATTEST = [
  'cas',
  'attest',
  ...TOLERATIONS,
  '--mrsigner',
  SCONTAIN_STD_SIGNER,
  '--isvprodid',
  '41316',
  '--isvsvn',
  '5',
];

const PROVISIONED = `name: provisioned
version: "0.3.10"
predecessor:

access_policy:
  read:
    - ANY
  update:
    - CREATOR
`;
const APP = `name: app
version: "0.3.10"
services:
  - name: api
    mrenclaves: [${'1'.repeat(64)}]
`;
const OWNER = `name: cas-owner
version: "0.3.10"
access_policy:
  read: [CREATOR]
  update: [CREATOR]
`;

/** Attests (unprovisioned) and provisions `default/mycas` as `identity`. */
async function provisionAs(sb: SconeSandbox, cas: CasInstanceState, identity: string): Promise<void> {
  const config = await sb.file('owner.toml', '[dcap]\nsubscription_key = "00000000000000000000000000000000"\n');
  const attest = await sb.scone(identity, [...ATTEST, '--only_for_testing_allow-unprovisioned-cas', ADDR]);
  const provision = await sb.scone(identity, provisionArgs(ADDR, cas, config));
  assert.equal(attest.code, 0, attest.stderr);
  assert.equal(provision.code, 0, provision.stderr);
}

describe('scone stand-in sessions', () => {
  let sb: SconeSandbox;
  let cas: CasInstanceState;
  before(async () => {
    sb = await startSconeSandbox();
    cas = sb.registry.ensureInstance('default', 'mycas');
    await provisionAs(sb, cas, 'owner');
    const other = await sb.scone('other', [...ATTEST, ADDR]);
    assert.equal(other.code, 0, other.stderr);
  });
  after(() => sb.stop());

  it('creates a session and prints the hash the CAS stored', async () => {
    const r = await sb.scone('owner', ['session', 'create', await sb.file('provisioned.yaml', PROVISIONED)]);

    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^[0-9a-f]{64}\n$/);
    assert.equal(r.stdout.trim(), cas.policies.get('provisioned')?.hash);
    assert.equal(cas.policies.get('provisioned')?.predecessor, null);
  });

  it('refuses to create a session whose name exists', async () => {
    const r = await sb.scone('owner', ['session', 'create', await sb.file('provisioned.yaml', PROVISIONED)]);

    assert.equal(r.stderr, "Error: Session 'provisioned' already exists on CAS default/mycas\n");
    assert.equal(r.code, 1);
  });

  it('lets another identity read the provisioned marker (read: ANY)', async () => {
    const r = await sb.scone('other', ['session', 'read', 'provisioned']);

    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, PROVISIONED);
  });

  it('refuses another identity a CREATOR-only session', async () => {
    assert.equal((await sb.scone('owner', ['session', 'create', await sb.file('app.yaml', APP)])).code, 0);
    const r = await sb.scone('other', ['session', 'read', 'app']);

    assert.equal(r.stderr, "Error: Session 'app' on CAS default/mycas does not permit read for this identity\n");
    assert.equal(r.code, 1);
  });

  it('reserves cas-owner sessions for the owner identity', async () => {
    const file = await sb.file('cas-owner.yaml', OWNER);
    const backup = await sb.file('backup.yaml', OWNER.replace('name: cas-owner', 'name: cas-owner/primary-backup'));

    const byOther = await sb.scone('other', ['session', 'create', file]);
    const byOtherBackup = await sb.scone('other', ['session', 'create', backup]);
    const byOwner = await sb.scone('owner', ['session', 'create', file]);

    assert.equal(
      byOther.stderr,
      "Error: Session 'cas-owner' on CAS default/mycas is reserved for the CAS owner; this identity is not the owner\n",
    );
    assert.equal(byOther.code, 1);
    assert.equal(
      byOtherBackup.stderr,
      "Error: Session 'cas-owner/primary-backup' on CAS default/mycas is reserved for the CAS owner; this identity is not the owner\n",
    );
    assert.equal(byOwner.code, 0, byOwner.stderr);
    assert.equal(cas.policies.get('cas-owner')?.creator, cas.owner);
  });

  it('refuses an update whose predecessor is not the current hash, accepts the right one', async () => {
    const current = cas.policies.get('app')!.hash;
    const stale = 'a'.repeat(64);

    const wrong = await sb.scone('owner', [
      'session',
      'update',
      await sb.file('app-stale.yaml', `${APP}predecessor: ${stale}\n`),
    ]);
    assert.equal(
      wrong.stderr,
      `Error: Session 'app' on CAS default/mycas cannot be updated: predecessor ${stale} is not its current hash\n`,
    );
    assert.equal(wrong.code, 1);
    assert.equal(cas.policies.get('app')!.hash, current);

    const right = await sb.scone('owner', [
      'session',
      'update',
      await sb.file('app-next.yaml', `${APP}predecessor: ${current}\n`),
    ]);
    assert.equal(right.code, 0, right.stderr);
    assert.equal(right.stdout.trim(), cas.policies.get('app')!.hash);
    assert.notEqual(cas.policies.get('app')!.hash, current);
    assert.equal(cas.policies.get('app')!.predecessor, current);
  });

  it('follows the plugin upgrade path: read, verify, set predecessor, update', async () => {
    const read = await sb.scone('owner', ['session', 'read', 'app']);
    const readFile = await sb.file('app-read.yaml', read.stdout);
    const verify = await sb.scone('owner', ['session', 'verify', readFile]);
    assert.equal(verify.stdout, `${cas.policies.get('app')!.hash}\n`);

    const edited = read.stdout
      .replace(/^predecessor: .*$/m, `predecessor: ${verify.stdout.trim()}`)
      .replace('1'.repeat(64), '2'.repeat(64));
    const update = await sb.scone('owner', ['session', 'update', await sb.file('app-edited.yaml', edited)]);
    assert.equal(update.code, 0, update.stderr);
    assert.equal(cas.policies.get('app')!.predecessor, verify.stdout.trim());
    assert.match(cas.policies.get('app')!.body, new RegExp('2'.repeat(64)));
  });

  it('fills in the predecessor when the update file has none', async () => {
    const before = cas.policies.get('app')!.hash;
    const r = await sb.scone('owner', ['session', 'update', await sb.file('app-auto.yaml', APP)]);

    assert.equal(r.code, 0, r.stderr);
    assert.equal(cas.policies.get('app')!.predecessor, before);
    assert.match(cas.policies.get('app')!.body, new RegExp(`predecessor: ${before}`));
  });

  it('refuses verify of a file that differs from the stored session', async () => {
    const r = await sb.scone('owner', ['session', 'verify', await sb.file('app-other.yaml', APP)]);

    assert.equal(r.stderr, "Error: Session 'app' in the file differs from the one stored on CAS default/mycas\n");
    assert.equal(r.code, 1);
  });

  it('substitutes -e values and, with --use-env, the environment', async () => {
    const template =
      'name: $POLICY_NAME\nversion: "0.3.10"\nservices:\n  - name: register\n    mrenclaves: [${SCONE_CLI_MRENCLAVE}]\n';
    const file = await sb.file('template.yaml', template);

    const r = await sb.scone(
      'owner',
      ['session', 'create', file, '--use-env', '-e', 'POLICY_NAME=cas-owner/primary-backup'],
      { SCONE_CLI_MRENCLAVE: '3'.repeat(64) },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      cas.policies.get('cas-owner/primary-backup')?.body,
      template.replace('$POLICY_NAME', 'cas-owner/primary-backup').replace('${SCONE_CLI_MRENCLAVE}', '3'.repeat(64)),
    );

    const missing = await sb.scone('owner', ['session', 'create', file, '-e', 'POLICY_NAME=x']);
    assert.equal(missing.stderr, `Error: Session file '${file}' uses $SCONE_CLI_MRENCLAVE, which is not set\n`);
    assert.equal(missing.code, 1);
  });

  it('refuses sessions on a CAS whose keys changed since attestation', async () => {
    const old = cas.keyHash;
    sb.registry.remove('default', 'mycas');
    const fresh = sb.registry.ensureInstance('default', 'mycas');
    try {
      const r = await sb.scone('other', ['session', 'read', 'provisioned']);
      assert.equal(
        r.stderr,
        `Error: CAS at ${ADDR} presents CAS key hash ${fresh.keyHash}, not the attested ${old}; attest it again\n`,
      );
      assert.equal(r.code, 1);
    } finally {
      sb.registry.remove('default', 'mycas');
    }
  });
});

describe('scone stand-in identity and command line', () => {
  let sb: SconeSandbox;
  before(async () => {
    sb = await startSconeSandbox();
    sb.registry.ensureInstance('default', 'fresh');
  });
  after(() => sb.stop());

  it('creates a 0600 identity in a 0700 directory and keeps its key hash stable', async () => {
    const first = await sb.scone('alice', ['self', 'show-key-hash']);
    const second = await sb.scone('alice', ['self', 'show-key-hash']);
    const bob = await sb.scone('bob', ['self', 'show-key-hash']);

    assert.match(first.stdout, /^[0-9a-f]{64}\n$/);
    assert.equal(second.stdout, first.stdout);
    assert.notEqual(bob.stdout, first.stdout);
    assert.equal((await stat(sb.configPath('alice'))).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(sb.configPath('alice')))).mode & 0o777, 0o700);
    const config = await readJson(sb.configPath('alice'));
    assert.deepEqual(Object.keys(config).sort(), [
      'cas_db',
      'default_cas',
      'identity',
      'session_signing_keypair_ed25519_seed',
    ]);
  });

  it('uses $HOME/.cas/config.json without SCONE_CLI_CONFIG', async () => {
    const r = await run(sb.bin, ['self', 'show-key-hash'], { PATH: process.env.PATH ?? '', HOME: sb.dir });

    assert.equal(r.code, 0, r.stderr);
    assert.equal((await stat(`${sb.dir}/.cas/config.json`)).mode & 0o777, 0o600);
  });

  it('refuses session commands before any CAS was attested', async () => {
    const r = await sb.scone('alice', ['session', 'read', 'provisioned']);

    assert.equal(r.stderr, "Error: No default CAS; run 'scone cas attest <ADDR>' or pass --cas <ADDR>\n");
    assert.equal(r.code, 1);
  });

  it('refuses sessions on an unprovisioned CAS', async () => {
    assert.equal(
      (await sb.scone('alice', [...ATTEST, '--only_for_testing_allow-unprovisioned-cas', 'fresh.default:8081'])).code,
      0,
    );
    const r = await sb.scone('alice', ['session', 'read', 'provisioned']);

    assert.equal(r.stderr, 'Error: CAS default/fresh is not provisioned\n');
    assert.equal(r.code, 1);
  });

  it('reports unknown and malformed CAS addresses with distinct exit codes', async () => {
    const unknown = await sb.scone('alice', [...ATTEST, 'nope.default:8081']);
    const malformed = await sb.scone('alice', [...ATTEST, 'nope:8081']);

    assert.equal(unknown.stderr, 'Error: No CAS is reachable at nope.default:8081\n');
    assert.equal(unknown.code, 3);
    assert.equal(
      malformed.stderr,
      "Error: Invalid CAS address 'nope:8081'; expected <name>.<namespace>[.svc[.cluster.local]]:<port>\n",
    );
    assert.equal(malformed.code, 2);
  });

  it('rejects unknown commands and options as usage errors', async () => {
    const command = await sb.scone('alice', ['frobnicate']);
    const verb = await sb.scone('alice', ['cas', 'frobnicate']);
    const option = await sb.scone('alice', ['self', 'show-key-hash', '--loud']);

    assert.equal(command.stderr, "Error: Unknown command 'frobnicate'; expected one of: cas, session, self\n");
    assert.equal(
      verb.stderr,
      "Error: Unknown command 'scone cas frobnicate'; expected one of: attest, provision, set-default, show-identification, show-certificate\n",
    );
    assert.equal(option.stderr, "Error: Unknown option '--loud' for 'scone self show-key-hash'\n");
    for (const r of [command, verb, option]) assert.equal(r.code, 2);
  });

  it('names itself the casflow sandbox stand-in in help and bare usage', async () => {
    const help = await sb.scone('alice', ['--help']);
    const bare = await sb.scone('alice', []);

    assert.equal(help.code, 0);
    assert.match(help.stdout.split('\n')[0]!, /casflow sandbox stand-in for the SCONE CLI/);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr.split('\n')[0]!, /casflow sandbox stand-in for the SCONE CLI/);
  });

  it('prints a fixed MRENCLAVE with SCONE_HASH=1, per CLI version', async () => {
    const a = await sb.scone('alice', ['cas'], { SCONE_HASH: '1' });
    const b = await sb.scone('alice', [], { SCONE_HASH: '1' });
    const next = await sb.scone('alice', ['cas'], { SCONE_HASH: '1', SCONE_SANDBOX_CLI_VERSION: '6.0.6' });

    assert.equal(a.code, 0);
    assert.match(a.stdout, /^[0-9a-f]{64}\n$/);
    assert.equal(b.stdout, a.stdout);
    assert.notEqual(next.stdout, a.stdout);
  });

  it('fails clearly when SCONE_SANDBOX_CAS_URL is not set', async () => {
    const cli = fileURLToPath(new URL('../../src/sandbox/scone/cli.ts', import.meta.url));
    const tsx = import.meta.resolve('tsx');
    const env = { PATH: process.env.PATH ?? '', SCONE_CLI_CONFIG: sb.configPath('alice') };
    const r = await run(process.execPath, ['--import', tsx, cli, 'cas', 'attest', ...TOLERATIONS, ADDR], env);

    assert.equal(
      r.stderr,
      'Error: SCONE_SANDBOX_CAS_URL is not set; the scone stand-in needs the URL of the casflow CAS stand-in service\n',
    );
    assert.equal(r.code, 3);
  });
});
