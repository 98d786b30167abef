// Session (policy) operations of the CAS stand-in: create, update, read, verify. A session's
// history is a hash chain: an update names the hash it replaces as `predecessor`, so two
// writers racing on one session cannot both win.
import { parseDocument } from 'yaml';
import { CasRefusedError } from './errors.ts';
import type { CasInstanceState, CasPolicy, CasRegistry } from './registry.ts';
import { checkOwnerNamespace, checkRight } from './session-access.ts';
import { parseSessionText } from './session-doc.ts';
import { sameSession, sessionTextHash } from './session-hash.ts';

/** Stores a new session; with a `predecessor`, an existing one is updated instead. */
export function createSession(registry: CasRegistry, state: CasInstanceState, caller: string, body: string): CasPolicy {
  requireProvisioned(state);
  const doc = parseSessionText(body);
  checkOwnerNamespace(state, doc.name, caller);

  const existing = state.policies.get(doc.name);
  if (existing && doc.predecessor) return updateSession(registry, state, caller, body);
  if (existing) throw new CasRefusedError('refused', `Session '${doc.name}' already exists on ${casName(state)}`);
  if (doc.predecessor) {
    throw new CasRefusedError(
      'refused',
      `Session '${doc.name}' does not exist on ${casName(state)}, so it cannot have predecessor ${doc.predecessor}`,
    );
  }

  const policy = { name: doc.name, body, hash: sessionTextHash(body), predecessor: null, creator: caller };
  registry.putPolicy(state, policy);
  return policy;
}

/** Replaces a session; `predecessor` must be its current hash, or is filled in when absent. */
export function updateSession(registry: CasRegistry, state: CasInstanceState, caller: string, body: string): CasPolicy {
  requireProvisioned(state);
  const doc = parseSessionText(body);
  const current = requireSession(state, doc.name);
  checkRight(state, current, 'update', caller);

  let text = body;
  if (!doc.predecessor) {
    const edited = parseDocument(body);
    edited.set('predecessor', current.hash);
    text = edited.toString();
  } else if (doc.predecessor.toLowerCase() !== current.hash) {
    throw new CasRefusedError(
      'refused',
      `Session '${doc.name}' on ${casName(state)} cannot be updated: ` +
        `predecessor ${doc.predecessor} is not its current hash`,
    );
  }

  const policy = {
    name: doc.name,
    body: text,
    hash: sessionTextHash(text),
    predecessor: current.hash,
    creator: current.creator,
  };
  registry.putPolicy(state, policy);
  return policy;
}

export function readSession(state: CasInstanceState, caller: string, name: string): CasPolicy {
  requireProvisioned(state);
  const current = requireSession(state, name);
  checkRight(state, current, 'read', caller);
  return current;
}

/** The stored session's hash, when the given text says the same as the stored session. */
export function verifySession(state: CasInstanceState, caller: string, body: string): CasPolicy {
  const doc = parseSessionText(body);
  const current = readSession(state, caller, doc.name);
  if (!sameSession(body, current.body)) {
    throw new CasRefusedError(
      'refused',
      `Session '${doc.name}' in the file differs from the one stored on ${casName(state)}`,
    );
  }
  return current;
}

// [inference] A CAS without an owner has no one to authorise sessions, so it takes none;
// reading `provisioned` from it fails, which is how the plugin tells "not provisioned".
function requireProvisioned(state: CasInstanceState): void {
  if (state.owner === null) throw new CasRefusedError('refused', `${casName(state)} is not provisioned`);
}

function requireSession(state: CasInstanceState, name: string): CasPolicy {
  const policy = state.policies.get(name);
  if (!policy) throw new CasRefusedError('not-found', `Session '${name}' not found on ${casName(state)}`);
  return policy;
}

function casName(state: CasInstanceState): string {
  return `CAS ${state.namespace}/${state.name}`;
}
