// JSON mirror of the CAS stand-in registry. The file holds tokens and owner identities'
// key hashes, so it is written 0600 and replaced atomically.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CasInstanceState } from './registry.ts';

const FILE = 'cas-registry.json';

const PolicyJson = z.object({
  name: z.string(),
  body: z.string(),
  hash: z.string(),
  predecessor: z.string().nullable(),
  creator: z.string(),
});

const InstanceJson = z.object({
  namespace: z.string(),
  name: z.string(),
  keyHash: z.string(),
  softwareKeyHash: z.string(),
  sessionEncryptionKey: z.string(),
  certificate: z.string(),
  provisioningToken: z.string(),
  mrsigner: z.string(),
  owner: z.string().nullable(),
  ownerConfig: z.string().nullable(),
  provisionCount: z.number(),
  provisionAttempts: z.number(),
  attestationFailure: z.boolean(),
  policies: z.array(PolicyJson),
  logLines: z.array(z.string()),
});
type InstanceJson = z.infer<typeof InstanceJson>;

export function instanceToJson(state: CasInstanceState): InstanceJson {
  return { ...state, policies: [...state.policies.values()] };
}

export function instanceFromJson(json: unknown): CasInstanceState {
  const parsed = InstanceJson.parse(json);
  return { ...parsed, policies: new Map(parsed.policies.map((p) => [p.name, p])) };
}

/** Instances saved in `stateDir`, or none when there is no file yet. */
export function loadInstances(stateDir: string): CasInstanceState[] {
  let text: string;
  try {
    text = readFileSync(join(stateDir, FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return z.array(z.unknown()).parse(JSON.parse(text)).map(instanceFromJson);
}

export function saveInstances(stateDir: string, states: CasInstanceState[]): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(states.map(instanceToJson), null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}
