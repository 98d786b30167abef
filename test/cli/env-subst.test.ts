import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substituteEnv, undefinedVariables, UndefinedVariablesError } from '../../src/cli/env-subst.ts';

test('substituteEnv replaces $VAR and ${VAR}', () => {
  const env = { DCAP_KEY: 'abc', NAMESPACE: 'prod' };
  assert.equal(
    substituteEnv('key = "$DCAP_KEY"\nname = "cas.${NAMESPACE}.svc"\n', env),
    'key = "abc"\nname = "cas.prod.svc"\n',
  );
});

test('substituteEnv takes the longest name after a bare $', () => {
  assert.equal(substituteEnv('$A_B-$A', { A_B: '1', A: '2' }), '1-2');
});

test('substituteEnv keeps a $ that starts no variable reference', () => {
  assert.equal(substituteEnv('price $5, ${ and $ alone, $-x', {}), 'price $5, ${ and $ alone, $-x');
});

test('substituteEnv substitutes a variable defined as empty', () => {
  assert.equal(substituteEnv('[$EMPTY]', { EMPTY: '' }), '[]');
});

test('substituteEnv names every undefined variable once, sorted, and no value', () => {
  assert.throws(
    () => substituteEnv('$ZED ${ALPHA} $ZED $DEFINED', { DEFINED: 'secret-value' }),
    (error: unknown) => {
      assert.ok(error instanceof UndefinedVariablesError);
      assert.deepEqual(error.variables, ['ALPHA', 'ZED']);
      assert.equal(error.message, 'undefined environment variables $ALPHA, $ZED');
      return true;
    },
  );
});

test('undefinedVariables is empty when everything is defined', () => {
  assert.deepEqual(undefinedVariables('$A ${B}', { A: 'x', B: 'y' }), []);
});
