// Loopback HTTP service of the CAS stand-in: the scone stand-in's only way to reach a CAS.
// All rules live here (and in the modules it calls), not in the CLI, as they live in the
// real CAS. Nothing is logged: requests carry tokens and identities.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { CAS_ADDRESS_FORM, parseCasAddress } from './address.ts';
import {
  AttestBody,
  PinnedBody,
  ProvisionBody,
  ROUTES,
  SessionReadBody,
  SessionWriteBody,
  type CasIdentification,
} from './api.ts';
import { checkAttestation } from './attestation.ts';
import { CasRefusedError } from './errors.ts';
import { provisionCas, type PcsTarget } from './provisioning.ts';
import type { CasInstanceState, CasRegistry } from './registry.ts';
import { createSession, readSession, updateSession, verifySession } from './sessions.ts';
import { listenOnLoopback } from '../listen-loopback.ts';

export interface CasServiceOptions {
  registry: CasRegistry;
  /** PCS (stub) against which owner configs' DCAP keys are checked; default: no check. */
  pcs?: PcsTarget;
}

export interface CasService {
  /** http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

type Handler = (body: unknown) => Promise<unknown>;

/** Starts the service on a free loopback port. */
export async function startCasService(options: CasServiceOptions): Promise<CasService> {
  const routes = buildRoutes(options);
  const server = createServer((req, res) => void serve(routes, req, res));
  return listenOnLoopback(server);
}

function buildRoutes({ registry, pcs }: CasServiceOptions): Map<string, Handler> {
  const find = (address: string) => resolve(registry, address);
  const pinned = (req: z.infer<typeof PinnedBody>) => checkPin(find(req.address), req.address, req.pinnedKeyHash);
  const caller = (req: { caller: string }) => req.caller.toLowerCase();

  return new Map<string, Handler>([
    [
      ROUTES.attest,
      async (raw) => {
        const req = AttestBody.parse(raw);
        const state = find(req.address);
        checkAttestation(state, req.attestation, 'attest');
        return identification(state);
      },
    ],
    [
      ROUTES.provision,
      async (raw) => {
        const req = ProvisionBody.parse(raw);
        const state = find(req.address);
        await provisionCas(registry, state, req, pcs);
        return identification(state);
      },
    ],
    [ROUTES.identification, async (raw) => identification(pinned(PinnedBody.parse(raw)))],
    [
      ROUTES.sessionCreate,
      async (raw) => {
        const req = SessionWriteBody.parse(raw);
        return hashReply(createSession(registry, pinned(req), caller(req), req.body));
      },
    ],
    [
      ROUTES.sessionUpdate,
      async (raw) => {
        const req = SessionWriteBody.parse(raw);
        return hashReply(updateSession(registry, pinned(req), caller(req), req.body));
      },
    ],
    [
      ROUTES.sessionRead,
      async (raw) => {
        const req = SessionReadBody.parse(raw);
        const policy = readSession(pinned(req), caller(req), req.name);
        return { name: policy.name, hash: policy.hash, body: policy.body };
      },
    ],
    [
      ROUTES.sessionVerify,
      async (raw) => {
        const req = SessionWriteBody.parse(raw);
        return hashReply(verifySession(pinned(req), caller(req), req.body));
      },
    ],
  ]);
}

function resolve(registry: CasRegistry, address: string): CasInstanceState {
  if (!parseCasAddress(address)) {
    throw new CasRefusedError('bad-request', `Invalid CAS address '${address}'; expected ${CAS_ADDRESS_FORM}`);
  }
  const state = registry.resolveAddress(address);
  if (!state) throw new CasRefusedError('unknown-cas', `No CAS is reachable at ${address}`);
  return state;
}

// The real CLI pins the CAS certificate it attested; a CAS that was recreated with new keys
// fails the TLS handshake until it is attested again.
function checkPin(state: CasInstanceState, address: string, pinnedKeyHash: string): CasInstanceState {
  if (pinnedKeyHash.toLowerCase() !== state.keyHash) {
    throw new CasRefusedError(
      'refused',
      `CAS at ${address} presents CAS key hash ${state.keyHash}, not the attested ${pinnedKeyHash}; attest it again`,
    );
  }
  return state;
}

function identification(state: CasInstanceState): CasIdentification {
  return {
    namespace: state.namespace,
    name: state.name,
    keyHash: state.keyHash,
    softwareKeyHash: state.softwareKeyHash,
    sessionEncryptionKey: state.sessionEncryptionKey,
    certificate: state.certificate,
    provisioned: state.owner !== null,
  };
}

function hashReply(policy: { name: string; hash: string }) {
  return { name: policy.name, hash: policy.hash };
}

async function serve(routes: Map<string, Handler>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const handler = req.method === 'POST' ? routes.get(req.url ?? '') : undefined;
    if (!handler) throw new CasRefusedError('not-found', `No route ${req.method} ${req.url}`);
    send(res, 200, await handler(await readJson(req)));
  } catch (err) {
    const refusal = toRefusal(err);
    send(res, refusal.status, { error: { kind: refusal.kind, message: refusal.message } });
  }
}

function toRefusal(err: unknown): CasRefusedError {
  if (err instanceof CasRefusedError) return err;
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    const field = issue?.path.join('.') ?? '';
    return new CasRefusedError('bad-request', `Invalid request field '${field}': ${issue?.message}`, { cause: err });
  }
  return new CasRefusedError('bad-request', `Request failed: ${(err as Error).message}`, { cause: err });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new CasRefusedError('bad-request', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new CasRefusedError('bad-request', 'Request body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
