// The real CLI process refuses bad invocations with an exact message and exit code, before it
// contacts any server: Temporal points at a closed port and the kubeconfig at an address that
// never answers, so a CLI that tried to connect would hang or fail differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const home = mkdtempSync(join(tmpdir(), 'casflow-cli-'));
const kubeconfig = join(home, 'kubeconfig');
// 192.0.2.0/24 is TEST-NET-1: never routed, so a connection attempt would hang, not fail fast.
writeFileSync(
  kubeconfig,
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: c, cluster: {server: "https://192.0.2.1:6443", insecure-skip-tls-verify: true}}]',
    'users: [{name: u, user: {token: t}}]',
    'contexts: [{name: x, context: {cluster: c, user: u}}]',
    'current-context: x',
  ].join('\n'),
);
const ownerConfig = join(home, 'owner.toml');
writeFileSync(ownerConfig, '[audit_log]\nmode = "signed"\n');

const baseEnv = {
  PATH: process.env.PATH ?? '',
  HOME: home,
  KUBECONFIG: kubeconfig,
  CASFLOW_TEMPORAL_ADDRESS: '127.0.0.1:1',
};
const HINT = 'Run "casflow provision --help" for the supported flags.\n';

function run(args: string[], env: Record<string, string> = baseEnv, bin = 'casflow.js') {
  const started = Date.now();
  const result = spawnSync(process.execPath, [join(root, 'bin', bin), ...args], {
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

function assertRefused(args: string[], stderr: string, env?: Record<string, string>, code = 2) {
  const result = run(args, env);
  assert.equal(result.stderr, stderr);
  assert.equal(result.stdout, '');
  assert.equal(result.code, code);
  assert.ok(result.ms < 10_000, `took ${result.ms} ms: it must fail before contacting a server`);
  return result;
}

test('a CAS name longer than 15 characters is refused with the plugin wording and the value', () => {
  assertRefused(
    ['provision', 'cas', 'averyveryverylongname', '--owner-config', ownerConfig],
    'Error: Name of the cas must not be longer than 15 characters (got "averyveryverylongname", 21 characters)\n',
  );
});

test('a CAS name that is no DNS-1123 label is refused with its value', () => {
  assertRefused(
    ['provision', 'cas', 'My_Cas'],
    "Error: Name of the cas must be a DNS-1123 label: lower-case letters, digits and '-', " +
      'starting and ending with a letter or digit (got "My_Cas")\n',
  );
});

test('a missing owner config file is named', () => {
  const missing = join(home, 'nope.toml');
  assertRefused(
    ['provision', 'cas', 'mycas', '-o', missing],
    `Error: Invalid --owner-config: file "${missing}" does not exist\n`,
  );
});

test('a webhook that is not http(s) is refused with its value', () => {
  assertRefused(
    ['provision', 'cas', 'mycas', '--webhook', 'ftp://x'],
    'Error: Invalid --webhook: must be an http(s) URL (got "ftp://x")\n',
  );
});

test('an unknown flag is refused with a hint to --help', () => {
  assertRefused(['provision', 'cas', 'mycas', '--frobnicate'], `Error: Unknown flag --frobnicate\n${HINT}`);
});

test('a plugin flag casflow does not implement yet is refused', () => {
  assertRefused(
    ['provision', 'cas', 'mycas', '--upgrade', '6.0.6'],
    `Error: Flag --upgrade is not supported yet by casflow\n${HINT}`,
  );
});

test('a malformed DCAP key is refused without showing it, from the flag or from DCAP_KEY', () => {
  const key = 'Zx9-secret-looking-dcap-value-42';
  const flag = assertRefused(
    ['provision', 'cas', 'mycas', '--dcap-api', key],
    'Error: Invalid --dcap-api: must be 32 hexadecimal characters (value not shown)\n',
  );
  assert.ok(!flag.stderr.includes(key) && !flag.stdout.includes(key));

  const env = assertRefused(
    ['provision', 'cas', 'mycas', '-v'],
    'Error: Invalid DCAP_KEY: must be 32 hexadecimal characters (value not shown)\n',
    { ...baseEnv, DCAP_KEY: key },
  );
  assert.ok(!env.stderr.includes(key) && !env.stdout.includes(key));
});

test('--wait with --no-backup is refused as the plugin does', () => {
  assertRefused(
    ['provision', 'cas', 'mycas', '--wait', '--no-backup'],
    'Error: We do not support the simultaneous use of --no-backup and --wait\n',
  );
});

test('a missing CASFLOW_TEMPORAL_ADDRESS is named', () => {
  const { CASFLOW_TEMPORAL_ADDRESS: _unused, ...env } = baseEnv;
  assertRefused(
    ['provision', 'cas', 'mycas', '-o', ownerConfig],
    'Error: CASFLOW_TEMPORAL_ADDRESS is not set: it must name the Temporal frontend as host:port\n',
    env,
  );
});

test('an owner config with undefined variables is refused naming them, not the values', () => {
  const file = join(home, 'vars.toml');
  writeFileSync(file, 'key = "$DCAP_KEY"\nns = "$NAMESPACE"\nurl = "${AUDIT_URL}"\n');
  // DCAP_KEY and NAMESPACE are defined by -d and -n, as the plugin exports them to envsubst.
  const key = '0123456789abcdef0123456789abcdef';
  const result = assertRefused(
    ['provision', 'cas', 'mycas', '-o', file, '-d', key, '-n', 'prod'],
    `Error: Invalid --owner-config: file "${file}" uses undefined environment variable $AUDIT_URL\n`,
  );
  assert.ok(!result.stderr.includes(key));
});

test('kubectl-provision takes the words after "provision"', () => {
  const result = run(['cas', 'averyveryverylongname'], baseEnv, 'kubectl-provision.js');
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'Error: Name of the cas must not be longer than 15 characters (got "averyveryverylongname", 21 characters)\n',
  );
  const unknown = run(['cas', '--frobnicate'], baseEnv, 'kubectl-provision.js');
  assert.equal(
    unknown.stderr,
    'Error: Unknown flag --frobnicate\nRun "kubectl provision --help" for the supported flags.\n',
  );
});

test('--version prints the package version and --help lists flags and variables', () => {
  const version = run(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, '0.1.0\n');

  const help = run(['provision', '--help']);
  assert.equal(help.code, 0);
  for (const text of [
    '-n, --namespace NAMESPACE',
    '--print-public-keys',
    '--timeout-healthy',
    'CASFLOW_TEMPORAL_ADDRESS',
  ]) {
    assert.ok(help.stdout.includes(text), `help lacks ${text}`);
  }
});
