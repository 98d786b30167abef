// Who may read or update a session. `access_policy.read` / `.update` list `CREATOR`, `ANY`
// or identity key hashes; an absent list means CREATOR only. Sessions named `cas-owner` or
// `cas-owner/...` additionally belong to the CAS owner alone.
import { OWNER_SESSION_NAMESPACE } from './constants.ts';
import { CasRefusedError } from './errors.ts';
import type { CasInstanceState, CasPolicy } from './registry.ts';
import { parseSessionText } from './session-doc.ts';

export type SessionRight = 'read' | 'update';

export function isOwnerSession(name: string): boolean {
  return name === OWNER_SESSION_NAMESPACE || name.startsWith(`${OWNER_SESSION_NAMESPACE}/`);
}

/** Throws unless `caller` may touch a session of this name at all. */
export function checkOwnerNamespace(state: CasInstanceState, name: string, caller: string): void {
  if (isOwnerSession(name) && caller !== state.owner) {
    throw new CasRefusedError(
      'refused',
      `Session '${name}' on CAS ${state.namespace}/${state.name} is reserved for the CAS owner; ` +
        'this identity is not the owner',
    );
  }
}

/** Throws unless `caller` holds `right` on the stored policy. */
export function checkRight(state: CasInstanceState, policy: CasPolicy, right: SessionRight, caller: string): void {
  checkOwnerNamespace(state, policy.name, caller);
  const allowed = accessList(policy.body, right).some(
    (entry) => entry === 'ANY' || (entry === 'CREATOR' && caller === policy.creator) || entry.toLowerCase() === caller,
  );
  if (!allowed) {
    throw new CasRefusedError(
      'refused',
      `Session '${policy.name}' on CAS ${state.namespace}/${state.name} does not permit ${right} for this identity`,
    );
  }
}

function accessList(body: string, right: SessionRight): string[] {
  const list = parseSessionText(body).access_policy?.[right];
  return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string') : ['CREATOR'];
}
