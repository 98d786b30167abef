// A kubelet-like HTTPS endpoint, so the API server's pod log proxy (`kubectl logs`, readNamespacedPodLog)
// returns what a CAS container printed. The API server does not verify the kubelet's certificate unless
// told to, so a self-signed one made with openssl is enough.
// Steps of startKubelet:
//   1. make (or reuse) a self-signed certificate in <stateDir>/kubelet;
//   2. listen on 127.0.0.1 (port 0 = any free port);
//   3. connect once to prove it accepts connections, then report the port.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CasRegistryPort } from './operator/registry-port.ts';

const run = promisify(execFile);

/** The CAS container name, as in SCONE's StatefulSet. */
const CAS_CONTAINER = 'cas';

export interface Kubelet {
  port: number;
  stop(): Promise<void>;
}

export interface KubeletOptions {
  /** Certificate and key go to <stateDir>/kubelet. */
  stateDir: string;
  registry: Pick<CasRegistryPort, 'get'>;
  /** Listening port (default 0: any free port). */
  port?: number;
}

/** Starts the endpoint and resolves once it accepts TCP connections. */
export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const tls = await ensureCertificate(join(opts.stateDir, 'kubelet'));
  const server = createServer(tls, (req, res) => {
    const answer = containerLogs(opts.registry, new URL(req.url ?? '/', 'https://kubelet'));
    res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(answer.body);
  });

  const port = await listen(server, opts.port ?? 0);
  await acceptsConnections(port);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET /containerLogs/<ns>/<pod>/<container>?tailLines=N&limitBytes=N for CAS pods `<cas>-0`. */
function containerLogs(registry: Pick<CasRegistryPort, 'get'>, url: URL): { status: number; body: string } {
  const [root, namespace, pod, container, ...rest] = url.pathname.split('/').filter(Boolean);
  if (root !== 'containerLogs' || !namespace || !pod || !container || rest.length > 0) {
    return { status: 404, body: `not found: ${url.pathname}\n` };
  }
  const cas = pod.endsWith('-0') && container === CAS_CONTAINER ? registry.get(namespace, pod.slice(0, -2)) : undefined;
  if (!cas) return { status: 404, body: `container "${container}" in pod "${pod}" is not known to this kubelet\n` };

  let lines = cas.logLines;
  const tail = Number(url.searchParams.get('tailLines') ?? NaN);
  if (Number.isInteger(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  let body = lines.map((l) => `${l}\n`).join('');
  const limit = Number(url.searchParams.get('limitBytes') ?? NaN);
  if (Number.isInteger(limit) && limit > 0) body = Buffer.from(body).subarray(0, limit).toString();
  return { status: 200, body };
}

async function ensureCertificate(dir: string): Promise<{ key: Buffer; cert: Buffer }> {
  const keyFile = join(dir, 'kubelet.key');
  const certFile = join(dir, 'kubelet.crt');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    await mkdir(dir, { recursive: true });
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '3650',
      '-subj',
      '/CN=casflow-kubelet-stand-in',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
  }
  return { key: await readFile(keyFile), cert: await readFile(certFile) };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error(`kubelet stand-in got no TCP address: ${String(address)}`));
    });
  });
}

function acceptsConnections(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
