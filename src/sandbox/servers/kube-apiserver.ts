// A real kube-apiserver on etcd, as envtest runs it: no kubelet, no controllers. Token auth with
// one admin in system:masters, RBAC on, and its own self-signed serving certificate.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { ensureBinary } from '../binaries.ts';
import { freePort } from '../free-port.ts';
import { startProcess, type ManagedProcess } from '../process.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import type { KubeServer } from './types.ts';
import { waitReady } from './wait-ready.ts';

export interface KubeApiserverOptions {
  etcdUrl: string;
  /** Holds certs/, sa.key, tokens.csv and the kubeconfig. */
  dir: string;
  logDir: string;
  log?: (line: string) => void;
  /** Default 60000 ms; it is ready after about 3 s on the project's machines. */
  readyTimeoutMs?: number;
}

export interface KubeApiserver extends KubeServer {
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts kube-apiserver on a free loopback port, resolves once /readyz says ok. */
export async function startKubeApiserver(opts: KubeApiserverOptions): Promise<KubeApiserver> {
  const bin = await ensureBinary('kube-apiserver', { log: opts.log });
  const certDir = join(opts.dir, 'certs');
  await mkdir(certDir, { recursive: true });
  const token = randomBytes(24).toString('hex');
  const tokensFile = join(opts.dir, 'tokens.csv');
  await writeFile(tokensFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  const saKey = join(opts.dir, 'sa.key');
  await writeFile(saKey, serviceAccountKey(), { mode: 0o600 });

  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const proc = startProcess({
    name: 'kube-apiserver',
    command: bin,
    args: [
      `--etcd-servers=${opts.etcdUrl}`,
      '--bind-address=127.0.0.1',
      // Required where the machine has no default route.
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${certDir}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      `--service-account-issuer=${url}`,
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      '--authorization-mode=RBAC',
      `--token-auth-file=${tokensFile}`,
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--shutdown-delay-duration=0s',
    ],
    logDir: opts.logDir,
    stopRank: 1,
    // It exits about 1 s after SIGTERM while etcd is up; longer means it is stuck retrying.
    graceMs: 3000,
    log: opts.log,
  });

  const caFile = join(certDir, 'apiserver.crt');
  await waitReady(proc, () => isReady(url, token, caFile), opts.readyTimeoutMs ?? 60_000).catch(async (e: unknown) => {
    await proc.stop();
    throw e;
  });

  const kube = { url, token, caFile, certDir, kubeconfigPath: join(opts.dir, 'kubeconfig') };
  await writeKubeconfig(kube);
  return { ...kube, process: proc, stop: async () => void (await proc.stop()) };
}

function serviceAccountKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** GET /readyz with the admin token, trusting only the server's own certificate. */
async function isReady(url: string, token: string, caFile: string): Promise<boolean> {
  // The certificate is written a moment before the port opens; until then, not ready.
  const ca = await readFile(caFile);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/readyz`,
      { ca, headers: { authorization: `Bearer ${token}` }, timeout: 2000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(res.statusCode === 200 && body === 'ok'));
      },
    );
    req.on('timeout', () => req.destroy(new Error('readyz timed out')));
    req.on('error', reject);
    req.end();
  });
}
