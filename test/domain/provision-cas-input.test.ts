import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProvisionCasInput } from '../../src/domain/provision-cas.ts';
import { parseInput, InvalidInputError } from '../../src/domain/validation.ts';

const parse = (input: unknown) => parseInput(ProvisionCasInput, input, 'provisionCas input');

test('ProvisionCasInput fills the plugin defaults', () => {
  const input = parse({ name: 'mycas' });
  assert.equal(input.namespace, 'default');
  assert.equal(input.version, '6.0.5');
  assert.equal(input.imageRegistry, 'registry.scontain.com/scone.cloud');
  assert.deepEqual(input.acceptFlags, [
    '--accept-configuration-needed',
    '--accept-group-out-of-date',
    '--accept-sw-hardening-needed',
  ]);
  assert.equal(input.noBackup, false);
  assert.equal(input.wait, false);
  assert.deepEqual(input.deadlines, { pod: 600_000, provisioned: 300_000, healthy: 1_800_000 });
});

test('ProvisionCasInput names a too long CAS name and its value', () => {
  assert.throws(
    () => parse({ name: 'averyveryverylongname' }),
    new InvalidInputError(
      'Invalid provisionCas input: name: must be at most 15 characters (got "averyveryverylongname")',
    ),
  );
});

test('ProvisionCasInput refuses a name that is not DNS-1123', () => {
  assert.throws(() => parse({ name: 'My_Cas' }), {
    message:
      'Invalid provisionCas input: name: must be a DNS-1123 label (lower-case letters, digits and \'-\') (got "My_Cas")',
  });
});

test('ProvisionCasInput refuses a webhook that is not http(s)', () => {
  assert.throws(() => parse({ name: 'c', webhook: 'ftp://audit.example' }), {
    message: 'Invalid provisionCas input: webhook: must be an http(s) URL (got "ftp://audit.example")',
  });
});

test('ProvisionCasInput refuses --wait with --no-backup, as the plugin does', () => {
  assert.throws(
    () => parse({ name: 'c', wait: true, noBackup: true }),
    /wait: --wait cannot be combined with --no-backup/,
  );
});

test('ProvisionCasInput reads deadlines as durations and refuses nonsense', () => {
  assert.equal(parse({ name: 'c', deadlines: { pod: '90s', healthy: '1h30m' } }).deadlines.healthy, 5_400_000);
  assert.throws(() => parse({ name: 'c', deadlines: { pod: 'soon' } }), {
    message: 'Invalid provisionCas input: deadlines.pod: must be a duration such as "90s", "5m" or "1h" (got "soon")',
  });
});

test('ProvisionCasInput refuses unknown fields and unknown tolerations', () => {
  // A DCAP key belongs in the input Secret; put into the input by mistake it is named, never echoed.
  assert.throws(() => parse({ name: 'c', dcapKey: 'abcdef0123456789abcdef0123456789' }), {
    message: 'Invalid provisionCas input: (input): unknown field "dcapKey"',
  });
  assert.throws(
    () => parse({ name: 'c', acceptFlags: ['--only_for_testing-trust-any'] }),
    /acceptFlags: only --accept/,
  );
});
