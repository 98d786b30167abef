import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/parse-args.ts';
import { UsageError } from '../../src/cli/cli-error.ts';

const HINT = 'Run "casflow provision --help" for the supported flags.';
const parse = (...argv: string[]) => parseArgs(argv, HINT);

test('parseArgs collects command, service and name, and the plugin short forms', () => {
  const parsed = parse('provision', 'cas', 'mycas', '-n', 'prod', '-d', 'k', '-o', 'owner.toml', '-v');
  assert.deepEqual(parsed.positionals, ['provision', 'cas', 'mycas']);
  assert.deepEqual(parsed.values, { namespace: 'prod', dcapApi: 'k', ownerConfig: 'owner.toml', verbose: true });
});

test('parseArgs accepts flags before positionals and --flag=value', () => {
  const parsed = parse('--namespace=prod', 'provision', '--wait', 'cas', '--output=json');
  assert.deepEqual(parsed.positionals, ['provision', 'cas']);
  assert.deepEqual(parsed.values, { namespace: 'prod', wait: true, output: 'json' });
});

test('parseArgs gives a value flag the next word even when it starts with a dash', () => {
  const parsed = parse('provision', 'cas', '--set-tolerations', '--accept-group-out-of-date -S');
  assert.equal(parsed.values.setTolerations, '--accept-group-out-of-date -S');
});

test('parseArgs treats --set-toleration as --set-tolerations, as the plugin does', () => {
  assert.equal(parse('--set-toleration', '-C').values.setTolerations, '-C');
});

test('parseArgs lets the last of a repeated flag win', () => {
  assert.equal(parse('-n', 'a', '--namespace', 'b').values.namespace, 'b');
});

test('parseArgs refuses an unknown flag with a hint to --help', () => {
  assert.throws(() => parse('provision', 'cas', '--frobnicate'), new UsageError('Unknown flag --frobnicate', HINT));
});

test('parseArgs names an unknown --flag=value by its name only', () => {
  assert.throws(() => parse('--secret-thing=hunter2'), new UsageError('Unknown flag --secret-thing', HINT));
});

test('parseArgs refuses plugin flags casflow does not implement yet', () => {
  for (const flag of ['--upgrade', '--local-backup', '--cas-database-recovery', '--vault-client', '-f']) {
    assert.throws(
      () => parse('provision', 'cas', flag, 'x'),
      new UsageError(`Flag ${flag} is not supported yet by casflow`, HINT),
    );
  }
});

test('parseArgs wants a value after a value flag', () => {
  assert.throws(() => parse('provision', 'cas', '-n'), new UsageError('Flag -n needs a value: NAMESPACE', HINT));
});

test('parseArgs refuses a value on a switch', () => {
  assert.throws(() => parse('--wait=true'), new UsageError('Flag --wait takes no value (got "true")', HINT));
});

test('parseArgs accepts and ignores --no-image-signature-check and --no-docker', () => {
  assert.deepEqual(parse('--no-image-signature-check', '--no-docker').values, { ignored: true });
});
