import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProvisionInput, resolveSettings } from '../../src/cli/build-input.ts';
import { UsageError } from '../../src/cli/cli-error.ts';
import { parseArgs } from '../../src/cli/parse-args.ts';
import { resolveRequest } from '../../src/cli/request.ts';
import type { Env } from '../../src/cli/env-subst.ts';

const HINT = 'hint';
const requestOf = (argv: string[], env: Env = {}) => resolveRequest(parseArgs(argv, HINT), env, HINT);
const inputOf = (argv: string[], env: Env = {}, secretName?: string) => {
  const request = requestOf(argv, env);
  return buildProvisionInput(request, resolveSettings(request, env), secretName);
};

test('the name defaults to the service, "cas", and the namespace to "default"', () => {
  const input = inputOf(['provision', 'cas']);
  assert.equal(input.name, 'cas');
  assert.equal(input.namespace, 'default');
  assert.equal(input.version, '6.0.5');
  assert.equal(input.imageRegistry, 'registry.scontain.com/scone.cloud');
  assert.equal(input.secrets, undefined);
});

test('environment variables give the plugin defaults; flags override them', () => {
  const env = { NAMESPACE: 'envns', VERSION: '5.8.0', IMAGE_REPO: 'registry.example.com/scone' };
  const fromEnv = inputOf(['provision', 'cas', 'mycas'], env);
  assert.deepEqual([fromEnv.namespace, fromEnv.version, fromEnv.imageRegistry], ['envns', '5.8.0', env.IMAGE_REPO]);

  const argv = ['provision', 'cas', 'mycas', '-n', 'flagns', '--set-version', '6.0.4', '--image-registry', 'r.io/s'];
  const fromFlags = inputOf(argv, env);
  assert.deepEqual([fromFlags.namespace, fromFlags.version, fromFlags.imageRegistry], ['flagns', '6.0.4', 'r.io/s']);
});

test('SGX_TOLERATIONS contributes only its accept flags; --set-tolerations replaces them', () => {
  const env = { SGX_TOLERATIONS: '--accept-group-out-of-date --isvprodid 41316 --isvsvn 5 --mrsigner 195e' };
  assert.deepEqual(inputOf(['provision', 'cas'], env).acceptFlags, ['--accept-group-out-of-date']);
  assert.deepEqual(inputOf(['provision', 'cas', '--set-tolerations', '-C -S'], env).acceptFlags, ['-C', '-S']);
});

test('--set-tolerations names an unknown flag', () => {
  assert.throws(
    () => inputOf(['provision', 'cas', '--set-tolerations', '--accept-group-out-of-date --mrsigner']),
    new UsageError(
      'Invalid --set-tolerations: unknown flag "--mrsigner"; allowed: --accept-configuration-needed, ' +
        '--accept-group-out-of-date, --accept-sw-hardening-needed (or -C, -G, -S)',
    ),
  );
});

test('the input names the Secret, never the DCAP key', () => {
  const key = '0123456789abcdef0123456789ABCDEF';
  const input = inputOf(['provision', 'cas', 'mycas', '-d', key], {}, 'casflow-input-mycas');
  assert.deepEqual(input.secrets, { secretName: 'casflow-input-mycas' });
  assert.ok(!JSON.stringify(input).includes(key));
});

test('a malformed DCAP key is named by its source, never echoed', () => {
  const key = 'not-a-key-but-a-secret';
  for (const [argv, env, source] of [
    [['provision', 'cas', '-d', key], {}, '--dcap-api'],
    [['provision', 'cas'], { DCAP_KEY: key }, 'DCAP_KEY'],
  ] as const) {
    assert.throws(
      () => inputOf([...argv], env),
      new UsageError(`Invalid ${source}: must be 32 hexadecimal characters (value not shown)`),
    );
  }
});

test('timeouts become deadlines; the others keep their defaults', () => {
  const input = inputOf(['provision', 'cas', '--timeout-pod', '90s', '--timeout-healthy', '1h']);
  assert.deepEqual(input.deadlines, { pod: 90_000, provisioned: 300_000, healthy: 3_600_000 });
});

test('schema problems name the flag and the value', () => {
  assert.throws(
    () => inputOf(['provision', 'cas', '--webhook', 'ftp://x']),
    new UsageError('Invalid --webhook: must be an http(s) URL (got "ftp://x")'),
  );
  assert.throws(
    () => inputOf(['provision', 'cas', '--timeout-pod', 'soon']),
    new UsageError('Invalid --timeout-pod: must be a duration such as "90s", "5m" or "1h" (got "soon")'),
  );
  assert.throws(
    () => inputOf(['provision', 'cas', '--set-version', 'latest']),
    new UsageError('Invalid --set-version: must be a version such as 6.0.5 or 5.8.0-rc.8 (got "latest")'),
  );
});

test('an upper-case nonce is accepted as the plugin does and stored lower-case', () => {
  const nonce = 'ABCDEF0123456789ABCDEF0123456789';
  assert.equal(inputOf(['provision', 'cas', '--nonce', nonce]).nonce, nonce.toLowerCase());
});

test('resolveRequest picks the check mode and refuses two at once', () => {
  assert.equal(requestOf(['provision', 'cas', '--verify']).mode, 'verify');
  assert.equal(requestOf(['provision', 'cas', '--print-public-keys']).mode, 'print-public-keys');
  assert.throws(
    () => requestOf(['provision', 'cas', '--verify', '--is-provisioned']),
    new UsageError('Flags --is-provisioned and --verify cannot be combined', HINT),
  );
});

test('resolveRequest refuses vault, other services and extra words', () => {
  assert.throws(
    () => requestOf(['provision', 'vault']),
    new UsageError('Service "vault" is not supported yet by casflow', HINT),
  );
  assert.throws(() => requestOf(['provision', 'las']), new UsageError('Unknown service "las": expected "cas"', HINT));
  assert.throws(() => requestOf(['provision', 'cas', 'a', 'b']), new UsageError('Unexpected argument "b"', HINT));
});

test('resolveRequest names a bad namespace and where it came from', () => {
  assert.throws(
    () => requestOf(['provision', 'cas'], { NAMESPACE: 'Prod' }),
    new UsageError(`Invalid NAMESPACE: must be a DNS-1123 label (lower-case letters, digits and '-') (got "Prod")`),
  );
});
