// `npm run codec-server`: decodes payloads for the Temporal Web UI with the CASFLOW_CODEC_KEYS keys.
// Settings: CASFLOW_CODEC_SERVER_PORT (8888), CASFLOW_CODEC_SERVER_HOST (127.0.0.1),
// CASFLOW_CODEC_SERVER_CORS_ORIGIN (the UI's origin; unset allows no cross-origin caller).
import { AesGcmPayloadCodec, CodecKeysError } from './codec.ts';
import { startCodecServer } from './codec-server.ts';

const fail = (message: string): never => {
  process.stderr.write(`casflow codec-server: ${message}\n`);
  process.exit(2);
};

const env = process.env;
const keys = env.CASFLOW_CODEC_KEYS || fail('CASFLOW_CODEC_KEYS is not set: it must list keyId:base64key entries');
const portText = env.CASFLOW_CODEC_SERVER_PORT || '8888';
const port = Number(portText);
if (!/^\d{1,5}$/.test(portText) || port > 65535) {
  fail(`Invalid CASFLOW_CODEC_SERVER_PORT: must be a port number (got "${portText}")`);
}
const corsOrigin = env.CASFLOW_CODEC_SERVER_CORS_ORIGIN || undefined;
if (corsOrigin === '*') fail('Invalid CASFLOW_CODEC_SERVER_CORS_ORIGIN: name the UI origin, not "*"');

const codec = await AesGcmPayloadCodec.fromSetting(keys).catch((error: unknown) => {
  if (error instanceof CodecKeysError) return fail(`Invalid CASFLOW_CODEC_KEYS: ${error.message} (value not shown)`);
  throw error;
});
const server = await startCodecServer({ codec, port, host: env.CASFLOW_CODEC_SERVER_HOST || undefined, corsOrigin });
process.stderr.write(`casflow codec-server: listening on ${server.url}, CORS origin ${corsOrigin ?? 'none'}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
