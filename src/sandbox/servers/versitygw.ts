// versitygw: a real S3 gateway over a local directory, with a random root key pair.
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureBinary } from '../binaries.ts';
import { freePort } from '../free-port.ts';
import { startProcess, type ManagedProcess } from '../process.ts';
import type { S3Server } from './types.ts';
import { waitReady } from './wait-ready.ts';

export interface VersitygwOptions {
  /** Holds data/ (the buckets) and iam/. */
  dir: string;
  logDir: string;
  log?: (line: string) => void;
  /** Default 30000 ms. */
  readyTimeoutMs?: number;
}

export interface Versitygw extends S3Server {
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts versitygw and resolves once it answers a signed ListBuckets request. */
export async function startVersitygw(opts: VersitygwOptions): Promise<Versitygw> {
  const bin = await ensureBinary('versitygw', { log: opts.log });
  const dataDir = join(opts.dir, 'data');
  const iamDir = join(opts.dir, 'iam');
  await mkdir(dataDir, { recursive: true });
  await mkdir(iamDir, { recursive: true });
  const port = await freePort();
  const s3: S3Server = {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: `casflow${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(24).toString('hex'),
    region: 'us-east-1',
  };

  const proc = startProcess({
    name: 'versitygw',
    command: bin,
    args: ['--port', `127.0.0.1:${port}`, '--iam-dir', iamDir, 'posix', dataDir],
    env: { ...process.env, ROOT_ACCESS_KEY: s3.accessKeyId, ROOT_SECRET_KEY: s3.secretAccessKey },
    logDir: opts.logDir,
    stopRank: 1,
    log: opts.log,
  });
  await waitReady(proc, () => answersSignedRequest(s3), opts.readyTimeoutMs ?? 30_000).catch(async (e: unknown) => {
    await proc.stop();
    throw e;
  });
  return { ...s3, process: proc, stop: async () => void (await proc.stop()) };
}

async function answersSignedRequest(s3: S3Server): Promise<boolean> {
  // The SDK is pinned to a release that supports Node 20 (package.json); its notice that later
  // releases will not is noise in every sandbox start. Only unset the switch, never override it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    forcePathStyle: true,
    maxAttempts: 1, // the caller polls; the SDK's own backoff would only delay readiness
  });
  try {
    await client.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(2000) });
    return true;
  } finally {
    client.destroy();
  }
}
