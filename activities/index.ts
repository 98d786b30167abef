// All activities, built from injected clients. Workflows import the type only.
import type { ActivityDeps } from './deps.ts';
import { preconditionActivities } from './preconditions.ts';
import { dcapKeyActivities } from './dcap-key.ts';
import { casResourceActivities } from './cas-resource.ts';
import { waitActivities } from './waits.ts';
import { ownerActivities } from './owner.ts';
import { inputSecretActivities } from './input-secret.ts';
import { statusActivities } from './status.ts';
import { withHeartbeat } from './heartbeat.ts';

function heartbeating<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) =>
    withHeartbeat(
      () => undefined,
      () => fn(...args),
    );
}

export function createActivities(deps: ActivityDeps) {
  const { checkProvisionPreconditions } = preconditionActivities(deps);
  const owner = ownerActivities(deps);
  const status = statusActivities(deps);
  return {
    checkProvisionPreconditions,
    resolveDcapKey: heartbeating(dcapKeyActivities(deps).resolveDcapKey),
    ...casResourceActivities(deps),
    ...waitActivities(deps),
    ...owner,
    // These run several CLI calls; heartbeats let a lost worker be noticed within seconds.
    ensureOwnerIdentity: heartbeating(owner.ensureOwnerIdentity),
    attestCas: heartbeating(owner.attestCas),
    createCasPolicies: heartbeating(owner.createCasPolicies),
    readCasPublicKeys: heartbeating(owner.readCasPublicKeys),
    ...inputSecretActivities(deps),
    ...status,
    verifyCasAttestation: heartbeating(status.verifyCasAttestation),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps.ts';
