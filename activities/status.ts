// Read-only looks at a CAS: its status, and an attestation with a throwaway identity.
import type { CasStatus } from '../src/domain/cas-status.ts';
import type { CasKeys } from '../src/domain/provision-cas.ts';
import { attestationArgs } from '../src/domain/tolerations.ts';
import { getCas } from './kube/cas-api.ts';
import { runScone, SconeCommandError } from './scone/scone-cli.ts';
import { withEmptyWorkspace } from './scone/identity-workspace.ts';
import { showCasKeys } from './scone/cas-keys.ts';
import type { ActivityDeps, CasTarget } from './deps.ts';
import { classifyRefusal, type AttestInput } from './owner.ts';

export interface CasStatusResult {
  exists: boolean;
  status?: CasStatus;
}

export interface VerifyAttestationResult {
  attestable: boolean;
  signer?: string;
  reason?: string;
  keys?: CasKeys;
}

export function statusActivities({ kube, scone, signers }: ActivityDeps) {
  return {
    async getCasStatus({ namespace, name }: CasTarget): Promise<CasStatusResult> {
      const cas = await getCas(kube, namespace, name);
      return cas ? { exists: true, status: cas.status ?? {} } : { exists: false };
    },

    /** Attests the CAS the way every client may (no owner identity needed) and optionally reads its keys. */
    async verifyCasAttestation(input: AttestInput & { printPublicKeys: boolean }): Promise<VerifyAttestationResult> {
      return withEmptyWorkspace(async (dir) => {
        let reason = 'no signer configured';
        for (const signer of signers) {
          try {
            await runScone(scone, {
              command: ['cas', 'attest'],
              args: [input.address, '-c', input.keyHash, ...attestationArgs(input.acceptFlags, signer)],
              identityDir: dir,
            });
          } catch (error) {
            // Only a refusal from the CAS means "not attestable"; no answer is retried instead.
            if (!(error instanceof SconeCommandError) || error.noAnswer) throw error;
            if (classifyRefusal(error.reason) === 'unreachable') throw error;
            reason = error.reason;
            continue;
          }
          if (!input.printPublicKeys) return { attestable: true, signer };
          const keys = await showCasKeys(scone, dir);
          return { attestable: true, signer, keys };
        }
        return { attestable: false, reason };
      });
    },
  };
}
