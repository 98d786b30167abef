import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/cli/cli-error.ts';
import { readTemporalConfig } from '../../src/cli/temporal-config.ts';

const address = '127.0.0.1:7233';

test('readTemporalConfig reads CASFLOW_CODEC_KEYS in order, first key first', () => {
  const first = Buffer.alloc(32, 1).toString('base64');
  const second = Buffer.alloc(32, 2).toString('base64');

  const config = readTemporalConfig({
    CASFLOW_TEMPORAL_ADDRESS: address,
    CASFLOW_CODEC_KEYS: `new:${first},old:${second}`,
  });

  assert.deepEqual(
    config.codecKeys?.map((k) => k.id),
    ['new', 'old'],
  );
  assert.equal(readTemporalConfig({ CASFLOW_TEMPORAL_ADDRESS: address }).codecKeys, undefined);
});

test('readTemporalConfig refuses a malformed CASFLOW_CODEC_KEYS naming the entry, not the key', () => {
  const key = 'not base64 at all';

  assert.throws(
    () => readTemporalConfig({ CASFLOW_TEMPORAL_ADDRESS: address, CASFLOW_CODEC_KEYS: `a:${key}` }),
    new UsageError('Invalid CASFLOW_CODEC_KEYS: entry 1: key is not valid base64 (value not shown)'),
  );
});
