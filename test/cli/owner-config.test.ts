import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/cli-error.ts';
import { readOwnerConfig } from '../../src/cli/owner-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'casflow-owner-config-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

test('readOwnerConfig resolves the path against cwd and substitutes the environment', async () => {
  const name = file('ok.toml', '[dcap]\nsubscription_key = "${DCAP_KEY}"\n');
  assert.equal(await readOwnerConfig(name, dir, { DCAP_KEY: 'k' }), '[dcap]\nsubscription_key = "k"\n');
});

test('readOwnerConfig names a missing file', async () => {
  await assert.rejects(
    readOwnerConfig('missing.toml', dir, {}),
    new UsageError('Invalid --owner-config: file "missing.toml" does not exist'),
  );
});

test('readOwnerConfig refuses a directory and an empty file', async () => {
  await assert.rejects(
    readOwnerConfig(dir, '/', {}),
    new UsageError(`Invalid --owner-config: "${dir}" is a directory, not a file`),
  );
  const empty = file('empty.toml', ' \n');
  await assert.rejects(
    readOwnerConfig(empty, dir, {}),
    new UsageError('Invalid --owner-config: file "empty.toml" is empty'),
  );
});

test('readOwnerConfig names undefined variables, never a value', async () => {
  const name = file('vars.toml', 'a = "$SET"\nb = "$UNSET_ONE"\nc = "${UNSET_TWO}"\n');
  await assert.rejects(
    readOwnerConfig(name, dir, { SET: 'secret-value' }),
    new UsageError(
      'Invalid --owner-config: file "vars.toml" uses undefined environment variables $UNSET_ONE, $UNSET_TWO',
    ),
  );
});

test('readOwnerConfig says that URLs are not supported yet', async () => {
  await assert.rejects(
    readOwnerConfig('https://example.com/owner.toml', dir, {}),
    new UsageError(
      'Invalid --owner-config: URLs are not supported yet by casflow; download the file and pass its path ' +
        '(got "https://example.com/owner.toml")',
    ),
  );
});
