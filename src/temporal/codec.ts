// AES-256-GCM payload codec with key ids. The first key encrypts; every key decrypts, so a new key
// is rolled out by prepending it and an old one is dropped once no history still needs it.
import type { webcrypto } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const KEY_BYTES = 32;

type CryptoKey = webcrypto.CryptoKey;
// A CommonJS module: named ESM imports of it fail at run time.
const ProtoPayload = proto.temporal.api.common.v1.Payload;

/** One raw key as configured: an id and its 32 bytes. */
export interface CodecKey {
  id: string;
  key: Uint8Array;
}

/** A malformed CASFLOW_CODEC_KEYS entry; the message never contains key material. */
export class CodecKeysError extends Error {
  override readonly name = 'CodecKeysError';
  constructor(
    message: string,
    /** 1-based index of the bad entry, or undefined when the whole setting is bad. */
    readonly entry?: number,
  ) {
    super(message);
  }
}

/** A payload that cannot be decrypted: unknown key id, or tampered or truncated ciphertext. */
export class CodecDecodeError extends Error {
  override readonly name = 'CodecDecodeError';
  constructor(
    message: string,
    readonly keyId: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses `id:base64key,...`; throws CodecKeysError naming the bad entry by 1-based index, never its text. */
export function parseCodecKeys(text: string): CodecKey[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) throw new CodecKeysError('must list at least one keyId:base64key');

  const keys = entries.map((entry, index) => parseEntry(entry, index + 1));
  keys.forEach(({ id }, index) => {
    const first = keys.findIndex((other) => other.id === id);
    if (first !== index) throw new CodecKeysError(`entry ${index + 1}: key id repeats entry ${first + 1}`, index + 1);
  });
  return keys;
}

function parseEntry(entry: string, n: number): CodecKey {
  const colon = entry.indexOf(':');
  if (colon < 0) throw new CodecKeysError(`entry ${n}: must be keyId:base64key`, n);
  const id = entry.slice(0, colon);
  const encoded = entry.slice(colon + 1);
  if (!KEY_ID.test(id)) throw new CodecKeysError(`entry ${n}: key id must be 1-64 of A-Z a-z 0-9 . _ -`, n);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new CodecKeysError(`entry ${n}: key is not valid base64`, n);
  }
  const key = new Uint8Array(Buffer.from(encoded, 'base64'));
  if (key.length !== KEY_BYTES) {
    throw new CodecKeysError(`entry ${n}: key must be ${KEY_BYTES} bytes, got ${key.length}`, n);
  }
  return { id, key };
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

async function importKey(raw: Uint8Array): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** Encrypts whole payloads (metadata and data) with AES-256-GCM under the first configured key. */
export class AesGcmPayloadCodec implements PayloadCodec {
  private constructor(
    private readonly encryptId: string,
    private readonly keys: ReadonlyMap<string, CryptoKey>,
  ) {}

  /** Builds a codec from parsed keys; the first one encrypts. */
  static async create(keys: readonly CodecKey[]): Promise<AesGcmPayloadCodec> {
    if (keys.length === 0) throw new CodecKeysError('must list at least one keyId:base64key');
    const imported = await Promise.all(keys.map(async ({ id, key }) => [id, await importKey(key)] as const));
    return new AesGcmPayloadCodec(keys[0]!.id, new Map(imported));
  }

  /** Builds a codec from the CASFLOW_CODEC_KEYS text. */
  static async fromSetting(setting: string): Promise<AesGcmPayloadCodec> {
    return AesGcmPayloadCodec.create(parseCodecKeys(setting));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.encryptId)!;
    return Promise.all(
      payloads.map(async (payload) => {
        const plain = ProtoPayload.encode(payload).finish();
        const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
        const sealed = new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
        const data = new Uint8Array(IV_BYTES + sealed.length);
        data.set(iv);
        data.set(sealed, IV_BYTES);
        return {
          metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(this.encryptId) },
          data,
        };
      }),
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decodeOne(payload)));
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    const encoding = payload.metadata?.encoding;
    // Payloads written before encryption was switched on stay readable.
    if (!encoding || text.decode(encoding) !== ENCRYPTED_ENCODING) return payload;

    const rawId = payload.metadata?.[KEY_ID_METADATA];
    const keyId = rawId ? text.decode(rawId) : '';
    const key = this.keys.get(keyId);
    if (!key) {
      throw new CodecDecodeError(`Cannot decrypt payload: unknown encryption key id "${keyId}"`, keyId);
    }
    const data = payload.data ?? new Uint8Array();
    try {
      const iv = data.subarray(0, IV_BYTES);
      const sealed = data.subarray(IV_BYTES);
      const plain = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
      return ProtoPayload.decode(new Uint8Array(plain));
    } catch (error) {
      throw new CodecDecodeError(
        `Cannot decrypt payload with key id "${keyId}": ciphertext is corrupt or was tampered with`,
        keyId,
        { cause: error },
      );
    }
  }
}
