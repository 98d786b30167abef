// The Web UI codec server over HTTP on loopback: encode then decode, and CORS for one origin only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AesGcmPayloadCodec } from '../../src/temporal/codec.ts';
import { startCodecServer, type CodecServer } from '../../src/temporal/codec-server.ts';

const uiOrigin = 'http://127.0.0.1:8233';
const b64 = (text: string) => Buffer.from(text).toString('base64');
let server: CodecServer;

before(async () => {
  const codec = await AesGcmPayloadCodec.fromSetting(`ui:${randomBytes(32).toString('base64')}`);
  server = await startCodecServer({ codec, port: 0, corsOrigin: uiOrigin });
});

after(() => server.close());

async function post(path: string, body: unknown, origin?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-namespace': 'default' };
  if (origin) headers.origin = origin;
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return {
    response,
    json: (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] },
  };
}

describe('codec server', () => {
  it('listens on 127.0.0.1 by default', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('round-trips payloads through POST /encode and POST /decode', async () => {
    const plain = { metadata: { encoding: b64('json/plain') }, data: b64('{"marker":"over-http"}') };

    const encoded = await post('/encode', { payloads: [plain] });
    const decoded = await post('/decode', encoded.json);

    assert.equal(encoded.response.status, 200);
    assert.equal(Buffer.from(encoded.json.payloads[0]!.metadata.encoding!, 'base64').toString(), 'binary/encrypted');
    assert.equal(Buffer.from(encoded.json.payloads[0]!.metadata['encryption-key-id']!, 'base64').toString(), 'ui');
    assert.equal(Buffer.from(encoded.json.payloads[0]!.data, 'base64').toString().includes('over-http'), false);
    assert.equal(decoded.response.status, 200);
    assert.deepEqual(decoded.json, { payloads: [plain] });
  });

  it('sends CORS headers only to the configured UI origin', async () => {
    const body = { payloads: [] };

    const allowed = await post('/decode', body, uiOrigin);
    const other = await post('/decode', body, 'http://evil.example');
    const none = await post('/decode', body);
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: uiOrigin, 'access-control-request-method': 'POST' },
    });

    assert.equal(allowed.response.headers.get('access-control-allow-origin'), uiOrigin);
    assert.equal(other.response.headers.get('access-control-allow-origin'), null);
    assert.equal(none.response.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), uiOrigin);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
  });

  it('answers 400 to a body without payloads and 404 to other paths', async () => {
    const bad = await fetch(`${server.url}/decode`, { method: 'POST', body: '{"nope":1}' });
    const missing = await fetch(`${server.url}/other`, { method: 'POST', body: '{}' });

    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: 'body must be {"payloads": [...]}' });
    assert.equal(missing.status, 404);
  });
});
