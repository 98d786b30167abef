// Name of the Secret holding the sensitive inputs (DCAP key, owner config) of one provisioning start.
import { randomBytes } from 'node:crypto';

/**
 * One per start, never shared: two CLIs racing to start the same provisioning each stage their own
 * Secret, and the one that loses the start deletes its own, never the winner's. The workflow deletes
 * the winner's when it ends.
 */
export function inputSecretName(casName: string, suffix = randomBytes(3).toString('hex')): string {
  return `casflow-input-${casName}-${suffix}`;
}
