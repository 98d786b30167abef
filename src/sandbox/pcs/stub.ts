// Intel PCS stub: answers the v4 GETs under /sgx/certification/v4/ on loopback and checks
// the `Ocp-Apim-Subscription-Key` header. Intel makes the key optional on some v4 routes;
// the stub requires it on all of them, so a DCAP key that casflow forgets to pass is caught.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  chainHeader,
  crlDer,
  crlPem,
  enclaveIdentity,
  makeCollateral,
  pckCerts,
  STUB_FMSPC,
  tcbInfo,
  type Collateral,
} from './collateral.ts';
import { listenOnLoopback } from '../listen-loopback.ts';

export const PCS_V4_PREFIX = '/sgx/certification/v4/';

export interface PcsStubOptions {
  /** The one subscription key (DCAP key) the stub accepts. */
  subscriptionKey: string;
}

export interface PcsRequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  key: 'missing' | 'wrong' | 'valid';
}

export interface PcsStub {
  /** Origin standing in for https://api.trustedservices.intel.com, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** Every request answered, oldest first (keys are never recorded). */
  requests: PcsRequestRecord[];
  stop(): Promise<void>;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Starts the stub on a free loopback port. */
export async function startPcsStub(options: PcsStubOptions): Promise<PcsStub> {
  const collateral = makeCollateral();
  const requests: PcsRequestRecord[] = [];
  const server = createServer((req, res) => {
    const key = keyState(req, options.subscriptionKey);
    const url = new URL(req.url ?? '/', 'http://stub');
    const reply = answer(req.method ?? 'GET', url, key, collateral);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, status: reply.status, key });
    send(res, reply);
  });
  const { url, stop } = await listenOnLoopback(server);
  return { url, requests, stop };
}

function keyState(req: IncomingMessage, expected: string): PcsRequestRecord['key'] {
  const given = req.headers['ocp-apim-subscription-key'];
  if (given === undefined || given === '') return 'missing';
  return given === expected ? 'valid' : 'wrong';
}

function answer(method: string, url: URL, key: PcsRequestRecord['key'], c: Collateral): Reply {
  if (!url.pathname.startsWith(PCS_V4_PREFIX)) return { status: 404 };
  // Azure API Management in front of Intel PCS rejects the key before routing.
  if (key === 'missing')
    return denied('missing subscription key. Make sure to include subscription key when making requests to an API.');
  if (key === 'wrong')
    return denied('invalid subscription key. Make sure to provide a valid key for an active subscription.');
  if (method !== 'GET') return { status: 405, headers: { Allow: 'GET' } };

  const q = url.searchParams;
  switch (url.pathname.slice(PCS_V4_PREFIX.length)) {
    case 'pckcert':
      return pckCert(q, c);
    case 'pckcerts':
      if (!hex(q.get('encrypted_ppid'), 768) || !hex(q.get('pceid'), 4)) return badRequest();
      return json(pckCerts(c.pckCert, 7), pckHeaders(c));
    case 'pckcrl':
      return pckCrl(q, c);
    case 'tcb':
      if (!hex(q.get('fmspc'), 12)) return badRequest();
      return json(tcbInfo(q.get('fmspc')!), { 'TCB-Info-Issuer-Chain': chainHeader(c.tcbSigning, c.rootCa) });
    case 'qe/identity':
      return json(enclaveIdentity('QE'), { 'SGX-Enclave-Identity-Issuer-Chain': chainHeader(c.tcbSigning, c.rootCa) });
    case 'qve/identity':
      return json(enclaveIdentity('QVE'), { 'SGX-Enclave-Identity-Issuer-Chain': chainHeader(c.tcbSigning, c.rootCa) });
    default:
      return { status: 404 };
  }
}

function pckCert(q: URLSearchParams, c: Collateral): Reply {
  const [cpusvn, pcesvn] = [q.get('cpusvn'), q.get('pcesvn')];
  if (!hex(q.get('encrypted_ppid'), 768) || !hex(cpusvn, 32) || !hex(pcesvn, 4) || !hex(q.get('pceid'), 4)) {
    return badRequest();
  }
  const headers = { ...pckHeaders(c), 'Content-Type': 'application/x-pem-file', 'SGX-TCBm': `${cpusvn}${pcesvn}` };
  return { status: 200, headers, body: c.pckCert };
}

function pckCrl(q: URLSearchParams, c: Collateral): Reply {
  const ca = q.get('ca');
  const encoding = q.get('encoding') ?? 'pem';
  if ((ca !== 'processor' && ca !== 'platform') || (encoding !== 'pem' && encoding !== 'der')) return badRequest();
  const headers = { 'SGX-PCK-CRL-Issuer-Chain': chainHeader(c.processorCa, c.rootCa) };
  if (encoding === 'der')
    return { status: 200, headers: { ...headers, 'Content-Type': 'application/pkix-crl' }, body: crlDer(ca) };
  return { status: 200, headers: { ...headers, 'Content-Type': 'application/x-pem-file' }, body: crlPem(ca) };
}

function pckHeaders(c: Collateral): Record<string, string> {
  return {
    'SGX-PCK-Certificate-Issuer-Chain': chainHeader(c.processorCa, c.rootCa),
    'SGX-FMSPC': STUB_FMSPC.toUpperCase(),
    'SGX-PCK-Certificate-CA-Type': 'processor',
  };
}

function hex(value: string | null, length: number): boolean {
  return value !== null && value.length === length && /^[0-9a-fA-F]+$/.test(value);
}

function json(body: unknown, headers: Record<string, string>): Reply {
  return { status: 200, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

function badRequest(): Reply {
  return {
    status: 400,
    headers: { 'Error-Code': 'InvalidRequestSyntax', 'Error-Message': 'Invalid query parameters' },
  };
}

function denied(reason: string): Reply {
  const body = JSON.stringify({ statusCode: 401, message: `Access denied due to ${reason}` });
  return { status: 401, headers: { 'Content-Type': 'application/json' }, body };
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, {
    'Request-ID': randomUUID().replaceAll('-', ''),
    ...reply.headers,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
