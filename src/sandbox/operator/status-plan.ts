// The CAS status machine of the operator stand-in, as a pure function of what the operator observes.
// Each call proposes at most one step from the current status:
//   (none) → Uninitialized                                   at once
//   Uninitialized → Unprovisioned  (provisioned No, attestable Yes, PENDING)       pod ready, no owner
//   Unprovisioned → Provisioned    (provisioned Yes, still PENDING)                registry owner set
//   Provisioned → EnablingMigration "0/N" → "1/N" … "N/N" → HEALTHY               backup-controller enabled;
//       one node per step; a node annotated never-registers is skipped and raises migrationNodeAlert
//   without the backup controller the CAS rests at Provisioned, migrationNodeRatio Disabled.
// Faults after provisioning: never-healthy → UNHEALTHY, snapshot-failure → SnapshotFailure; before it:
// attestation-failure → AttestationFailure. Spec changes: a new spec.image leaves HEALTHY at once
// (phase Provisioned, PENDING) and regains it; a new backup-controller image restarts EnablingMigration.
// Forward steps wait one phase delay (the caller times them); leaving HEALTHY and bookkeeping do not.
import { isDeepStrictEqual } from 'node:util';
import { imageTag, type CasSpec } from './cas-resource.ts';
import type { Fault } from './faults.ts';
import type { PodState } from './owned-objects.ts';
import type { SgxNode } from './sgx-placement.ts';

export type Stage =
  | 'Uninitialized'
  | 'Unprovisioned'
  | 'AttestationFailure'
  | 'Provisioned'
  | 'UNHEALTHY'
  | 'SnapshotFailure'
  | 'EnablingMigration'
  | 'HEALTHY';

/** Backup registrations for one backup-controller image (kept by the operator, not in the CAS). */
export interface Migration {
  backupImage: string | null;
  registered: string[];
  failed: string[];
}

export const NO_MIGRATION: Migration = { backupImage: null, registered: [], failed: [] };

export interface PlanInput {
  status: Record<string, unknown>;
  generation: number;
  spec: CasSpec;
  pod: PodState;
  owner: boolean;
  fault: Fault | null;
  nodes: SgxNode[];
  migration: Migration;
  now: Date;
}

export interface Plan {
  stage: Stage;
  migration: Migration;
  /** True for forward progress, which waits one phase delay. */
  delayed: boolean;
  /** Merge patch for `status` (null removes a field). */
  patch: Record<string, unknown>;
  /** Identifies the step, so the caller times each step once. */
  fingerprint: string;
}

interface Decision {
  stage: Stage;
  migration: Migration;
  delayed: boolean;
}

/** The next status step, or null when the status already says everything. */
export function planStatus(input: PlanInput): Plan | null {
  const decision = decide(input);
  const rendered = renderStatus(decision, input);
  const patch = diff(input.status, rendered);
  if (Object.keys(patch).length === 0) return null;
  const fingerprint = JSON.stringify([decision.stage, decision.migration, rendered['version'] ?? null]);
  return { ...decision, patch, fingerprint };
}

const PRE_PROVISIONING: readonly string[] = ['Uninitialized', 'Unprovisioned', 'AttestationFailure'];
const FAILED: readonly string[] = ['UNHEALTHY', 'SnapshotFailure', 'AttestationFailure'];

function decide(input: PlanInput): Decision {
  const { status, pod, owner, fault, migration } = input;
  const current = status['phase'] as Stage | undefined;
  const at = (stage: Stage, delayed: boolean, m = migration): Decision => ({ stage, migration: m, delayed });

  if (!current) return at('Uninitialized', false);
  const leaving = current === 'HEALTHY';
  if (!pod.ready) return leaving ? at('Provisioned', false) : at(current, false);
  // A pod running another image than the one status.version names has just been replaced.
  if (leaving && status['version'] !== runningTag(pod)) return at('Provisioned', false);

  if (fault === 'attestation-failure') return at('AttestationFailure', !leaving);
  if (!owner) return at('Unprovisioned', !leaving);
  if (PRE_PROVISIONING.includes(current)) return at('Provisioned', true);
  if (fault === 'never-healthy') return at('UNHEALTHY', !leaving);
  if (fault === 'snapshot-failure') return at('SnapshotFailure', !leaving);
  if (FAILED.includes(current)) return at('Provisioned', true);
  if (!input.spec['backup-controller'].enabled) return at('Provisioned', !leaving && current !== 'EnablingMigration');

  return decideMigration(input, current);
}

function decideMigration(input: PlanInput, current: Stage): Decision {
  const image = input.spec['backup-controller'].image;
  const fresh = input.migration.backupImage !== image;
  const names = new Set(input.nodes.map((n) => n.name));
  const base = fresh ? { backupImage: image, registered: [], failed: [] } : input.migration;
  // Nodes that left are forgotten; a node that lost its never-registers annotation is tried again.
  const registered = base.registered.filter((n) => names.has(n));
  const failed = base.failed.filter((n) => input.nodes.some((x) => x.name === n && x.neverRegisters));
  const migration: Migration = { backupImage: image, registered, failed };
  const pending = input.nodes.filter((n) => !registered.includes(n.name) && !failed.includes(n.name));
  const complete = pending.length === 0 && failed.length === 0;
  const at = (stage: Stage, delayed: boolean, m = migration): Decision => ({ stage, migration: m, delayed });

  if (current === 'HEALTHY') return complete ? at('HEALTHY', false) : at('EnablingMigration', false);
  if (current !== 'EnablingMigration') return complete ? at('HEALTHY', true) : at('EnablingMigration', true);
  if (fresh) return at('EnablingMigration', false);

  const next = pending[0];
  if (next?.neverRegisters) return at('EnablingMigration', true, { ...migration, failed: [...failed, next.name] });
  if (next) return at('EnablingMigration', true, { ...migration, registered: [...registered, next.name] });
  return complete ? at('HEALTHY', true) : at('EnablingMigration', false);
}

const runningTag = (pod: PodState): string | undefined => (pod.image ? imageTag(pod.image) : undefined);

function stateOf(stage: Stage): 'HEALTHY' | 'PENDING' | 'UNHEALTHY' {
  if (stage === 'HEALTHY') return 'HEALTHY';
  return FAILED.includes(stage) ? 'UNHEALTHY' : 'PENDING';
}

function renderStatus({ stage, migration }: Decision, input: PlanInput): Record<string, unknown> {
  const { spec, pod, nodes, status } = input;
  const provisionedYes = input.owner && !PRE_PROVISIONING.includes(stage);
  const backup = spec['backup-controller'];
  const tracked = backup.enabled && migration.backupImage === backup.image && !PRE_PROVISIONING.includes(stage);

  const rendered: Record<string, unknown> = {
    state: stateOf(stage),
    phase: stage,
    provisioned: input.owner ? 'Yes' : stage === 'Uninitialized' ? 'Unknown' : 'No',
    attestable: stage === 'Uninitialized' || stage === 'AttestationFailure' ? 'Failure' : 'Yes',
    snapshotStatus: snapshotStatus(stage, spec, provisionedYes),
    migrationNodeRatio: !backup.enabled
      ? 'Disabled'
      : tracked
        ? `${migration.registered.length}/${nodes.length}`
        : 'Initializing',
    numMigratableNodes: tracked ? migration.registered.length : 0,
    desiredNumMigratableNodes: nodes.length,
    migrationNodeAlert: tracked ? migration.failed.length : 0,
    readyReplicas: pod.ready ? 1 : 0,
    conditions: conditions(stage, input),
  };
  if (spec.databaseSnapshots.enabled) {
    rendered['snapshotConfiguredInterval'] = durationSeconds(spec.databaseSnapshots.interval);
  }
  // status.version is the tag of the image the CAS pod runs, once it runs.
  const version = stage !== 'Uninitialized' && pod.ready ? runningTag(pod) : status['version'];
  if (version !== undefined) rendered['version'] = version;
  if (spec.nonce) rendered['nonce'] = spec.nonce;
  return rendered;
}

function snapshotStatus(stage: Stage, spec: CasSpec, provisioned: boolean): string {
  if (stage === 'SnapshotFailure') return 'Failed';
  if (!spec.databaseSnapshots.enabled) return 'Disabled';
  if (!provisioned) return 'Initializing';
  return spec.databaseSnapshots.persistence?.enabled ? 'Persisted' : 'Ephemeral';
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration: number;
}

function conditions(stage: Stage, input: PlanInput): Condition[] {
  const state = stateOf(stage);
  const previous = (input.status['conditions'] as Condition[] | undefined) ?? [];
  const make = (type: string, status: Condition['status'], reason: string, message: string): Condition => {
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : input.now.toISOString();
    return { type, status, reason, message, lastTransitionTime, observedGeneration: input.generation };
  };

  return [
    state === 'HEALTHY'
      ? make('IsHealthy', 'True', 'Healthy', 'CAS is provisioned, attestable and has backups on every node')
      : make('IsHealthy', state === 'UNHEALTHY' ? 'False' : 'Unknown', stage, `CAS phase is ${stage}`),
    input.pod.ready
      ? make('OwnedObjectHealthy', 'True', 'PodReady', 'pod, service and volume are ready')
      : make('OwnedObjectHealthy', 'Unknown', 'PodNotReady', 'the CAS pod is not ready'),
  ];
}

/** Seconds in a Go duration string such as "60s" or "24h0m0s" (0 when unreadable). */
export function durationSeconds(text: string): number {
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    const factor = { h: 3600, m: 60, s: 1, ms: 0.001 }[unit as 'h' | 'm' | 's' | 'ms'];
    seconds += Number(amount) * factor;
  }
  return Math.round(seconds);
}

/** The merge patch that turns `current` into `rendered` on the fields the operator owns. */
function diff(current: Record<string, unknown>, rendered: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(rendered), ...OWNED_FIELDS])) {
    const want = rendered[key];
    if (!isDeepStrictEqual(current[key], want)) patch[key] = want ?? null;
  }
  return patch;
}

const OWNED_FIELDS = ['snapshotConfiguredInterval', 'version', 'nonce'];
