import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { AesGcmPayloadCodec, CodecDecodeError, CodecKeysError, parseCodecKeys } from '../../src/temporal/codec.ts';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

test('AesGcmPayloadCodec round-trips metadata and data and marks the encoded payload', async () => {
  const codec = await AesGcmPayloadCodec.fromSetting(`a:${keyA}`);
  const original = payloadOf({ marker: 'plain-marker-1' });

  const [encoded] = await codec.encode([original]);
  const [decoded] = await codec.decode([encoded!]);

  assert.equal(utf8(encoded!.metadata!.encoding), 'binary/encrypted');
  assert.equal(utf8(encoded!.metadata!['encryption-key-id']), 'a');
  assert.equal(utf8(encoded!.data).includes('plain-marker-1'), false);
  // IV, then the serialized payload sealed with its 16-byte GCM tag.
  const serialized = proto.temporal.api.common.v1.Payload.encode(original).finish();
  assert.equal(encoded!.data!.length, 12 + serialized.length + 16);
  assert.equal(utf8(decoded!.metadata!.encoding), 'json/plain');
  assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), { marker: 'plain-marker-1' });
});

test('AesGcmPayloadCodec uses a fresh IV per payload, so equal inputs encode differently', async () => {
  const codec = await AesGcmPayloadCodec.fromSetting(`a:${keyA}`);
  const payload = payloadOf('same');

  const [first, second] = await codec.encode([payload, payload]);

  assert.notDeepEqual(Buffer.from(first!.data!.subarray(0, 12)), Buffer.from(second!.data!.subarray(0, 12)));
  assert.notDeepEqual(Buffer.from(first!.data!), Buffer.from(second!.data!));
});

test('AesGcmPayloadCodec decodes with a rotated key set and encrypts with the new first key', async () => {
  const before = await AesGcmPayloadCodec.fromSetting(`old:${keyA}`);
  const rotated = await AesGcmPayloadCodec.fromSetting(`new:${keyB},old:${keyA}`);

  const [fromBefore] = await before.encode([payloadOf('written before rotation')]);
  const [decoded] = await rotated.decode([fromBefore!]);
  const [fromRotated] = await rotated.encode([payloadOf('written after')]);

  assert.equal(defaultPayloadConverter.fromPayload(decoded!), 'written before rotation');
  assert.equal(utf8(fromRotated!.metadata!['encryption-key-id']), 'new');
});

test('AesGcmPayloadCodec refuses an unknown key id, naming the id and no key material', async () => {
  const writer = await AesGcmPayloadCodec.fromSetting(`gone:${keyA}`);
  const reader = await AesGcmPayloadCodec.fromSetting(`other:${keyB}`);
  const [encoded] = await writer.encode([payloadOf('x')]);

  await assert.rejects(reader.decode([encoded!]), (error: unknown) => {
    assert.ok(error instanceof CodecDecodeError);
    assert.equal(error.message, 'Cannot decrypt payload: unknown encryption key id "gone"');
    assert.equal(error.keyId, 'gone');
    return true;
  });
});

test('AesGcmPayloadCodec refuses tampered ciphertext', async () => {
  const codec = await AesGcmPayloadCodec.fromSetting(`a:${keyA}`);
  const [encoded] = await codec.encode([payloadOf('untouched')]);
  const data = new Uint8Array(encoded!.data!);
  data[data.length - 20]! ^= 0x01;

  await assert.rejects(codec.decode([{ ...encoded!, data }]), {
    name: 'CodecDecodeError',
    message: 'Cannot decrypt payload with key id "a": ciphertext is corrupt or was tampered with',
  });
});

test('AesGcmPayloadCodec passes payloads without the encrypted encoding through on decode', async () => {
  const codec = await AesGcmPayloadCodec.fromSetting(`a:${keyA}`);
  const plain = payloadOf({ from: 'an old history' });

  const [decoded] = await codec.decode([plain]);

  assert.equal(decoded, plain);
});

test('parseCodecKeys returns ids and 32-byte keys in order', () => {
  const keys = parseCodecKeys(` new:${keyB} , old-1.x_y:${keyA}`);

  assert.deepEqual(
    keys.map((k) => [k.id, Buffer.from(k.key).toString('base64')]),
    [
      ['new', keyB],
      ['old-1.x_y', keyA],
    ],
  );
});

test('parseCodecKeys names the bad entry by index and never includes the key text', () => {
  const short = randomBytes(16).toString('base64');
  const cases: [string, string][] = [
    ['', 'must list at least one keyId:base64key'],
    [`a:${keyA},${keyB}`, 'entry 2: must be keyId:base64key'],
    [`a b:${keyA}`, 'entry 1: key id must be 1-64 of A-Z a-z 0-9 . _ -'],
    [`a:${keyA},b:${keyB.slice(0, -2)}!!`, 'entry 2: key is not valid base64'],
    [`a:${keyA},b:${keyB},c:${short}`, 'entry 3: key must be 32 bytes, got 16'],
    [`a:${keyA},a:${keyB}`, 'entry 2: key id repeats entry 1'],
  ];
  for (const [setting, message] of cases) {
    assert.throws(
      () => parseCodecKeys(setting),
      (error: unknown) => {
        assert.ok(error instanceof CodecKeysError);
        assert.equal(error.message, message);
        for (const secret of [keyA, keyB, short, keyB.slice(0, -2)])
          assert.equal(error.message.includes(secret), false);
        return true;
      },
    );
  }
});
