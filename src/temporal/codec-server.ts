// A codec server for the Temporal Web UI: POST /encode and POST /decode with the UI's JSON shape,
// {payloads: [{metadata: {key: base64}, data: base64}]}. Binds to loopback unless told otherwise,
// and answers CORS only for the one configured UI origin.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Port to listen on; default 8888, 0 picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** The Web UI origin allowed by CORS, e.g. http://localhost:8233; default none. */
  corsOrigin?: string;
}

export interface CodecServer {
  server: Server;
  /** http://host:port of the listening server. */
  url: string;
  close(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

class BadRequest extends Error {}

const fromBase64 = (text: string | undefined) => new Uint8Array(Buffer.from(text ?? '', 'base64'));
const toBase64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');

function fromJson(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new BadRequest('body must be {"payloads": [...]}');
  return payloads.map((p: JsonPayload) => ({
    metadata: Object.fromEntries(Object.entries(p?.metadata ?? {}).map(([k, v]) => [k, fromBase64(v)])),
    data: fromBase64(p?.data),
  }));
}

function toJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, toBase64(v)])),
      data: toBase64(p.data),
    })),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function handler(options: CodecServerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    if (options.corsOrigin && origin === options.corsOrigin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      // The UI sends the namespace it shows; credentials let it pass its auth cookie or token.
      res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') return send(res, 204);

    const path = new URL(req.url ?? '/', 'http://codec').pathname;
    const op = path === '/encode' ? 'encode' : path === '/decode' ? 'decode' : undefined;
    if (!op) return send(res, 404, { error: `no route ${path}` });
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });

    try {
      const payloads = fromJson(await readJson(req));
      const result = op === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      send(res, 200, toJson(result));
    } catch (error) {
      // Codec errors name key ids only, never key material, so their message is safe to return.
      const status = error instanceof BadRequest ? 400 : 422;
      send(res, status, { error: (error as Error).message });
    }
  };
}

/** Starts the codec server; resolves once it listens. */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const handle = handler(options);
  const server = createServer((req, res) => void handle(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
