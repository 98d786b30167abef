// CAS status as the SCONE operator reports it, and how casflow reads it.
import { z } from 'zod';

export const CasStatus = z
  .object({
    state: z.string().optional(),
    phase: z.string().optional(),
    provisioned: z.string().optional(),
    attestable: z.string().optional(),
    migrationNodeRatio: z.string().optional(),
    migrationNodeAlert: z.number().optional(),
    snapshotStatus: z.string().optional(),
    version: z.string().optional(),
  })
  .loose();
export type CasStatus = z.infer<typeof CasStatus>;

/** The status fields a wait can watch. */
export type CasStatusField = 'state' | 'phase' | 'provisioned' | 'migrationNodeRatio' | 'version';

/** Phases after which waiting for HEALTHY is pointless: the operator reports a fault. */
export const FAULT_PHASES = ['AttestationFailure', 'SnapshotFailure'] as const;

/** A short, stable rendering of the fields an operator looks at first. */
export function summariseCasStatus(status: CasStatus | undefined): string {
  if (!status) return 'no status yet';
  const parts = [
    `state=${status.state ?? '-'}`,
    `phase=${status.phase ?? '-'}`,
    `provisioned=${status.provisioned ?? '-'}`,
  ];
  if (status.migrationNodeRatio) parts.push(`migration=${status.migrationNodeRatio}`);
  if (status.version) parts.push(`version=${status.version}`);
  return parts.join(' ');
}

export function isProvisioned(status: CasStatus | undefined): boolean {
  return status?.provisioned === 'Yes';
}
