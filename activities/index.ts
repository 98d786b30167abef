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

type AsyncFn = (...args: never[]) => Promise<unknown>;

/**
 * Every activity heartbeats every 2 s while it runs (waits add their own details), so with the
 * workflows' 10 s heartbeat timeout a lost worker is noticed in seconds, whatever the step.
 */
function heartbeating<T extends Record<string, AsyncFn>>(activities: T): T {
  const wrapped: Record<string, AsyncFn> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = (...args) =>
      withHeartbeat(
        () => undefined,
        () => fn(...args),
      );
  }
  return wrapped as T;
}

export function createActivities(deps: ActivityDeps) {
  return heartbeating({
    ...preconditionActivities(deps),
    ...dcapKeyActivities(deps),
    ...casResourceActivities(deps),
    ...waitActivities(deps),
    ...ownerActivities(deps),
    ...inputSecretActivities(deps),
    ...statusActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps.ts';
