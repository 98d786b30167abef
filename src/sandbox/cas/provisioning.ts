// `scone cas provision`: the one-shot act that gives an unprovisioned CAS its owner.
// Checks, in the order the real CLI and CAS meet them:
//   1. count the attempt (tests assert that nothing provisions twice)
//   2. attestation with the caller's tolerations, unless without-attestation
//   3. the CAS key hash given with -c
//   4. first provisioning wins, even for the identity that already owns the CAS
//   5. the provisioning token from the pod log
//   6. --database-key only on a CAS whose signer allows key injection
//   7. optionally, the owner config's DCAP key against the PCS stub
// Then the caller's identity becomes the owner.
import { timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { ProvisionBody } from './api.ts';
import { checkAttestation } from './attestation.ts';
import { SCONTAIN_STD_SIGNER } from './constants.ts';
import { dcapKeyOf } from './owner-config.ts';
import { CasRefusedError } from './errors.ts';
import type { CasInstanceState, CasRegistry } from './registry.ts';

export interface PcsTarget {
  /** Origin of the PCS (stub), e.g. http://127.0.0.1:PORT. */
  url: string;
}

export async function provisionCas(
  registry: CasRegistry,
  state: CasInstanceState,
  req: z.infer<typeof ProvisionBody>,
  pcs?: PcsTarget,
): Promise<void> {
  const refuse = (reason: string) =>
    new CasRefusedError('refused', `Provisioning of CAS ${state.namespace}/${state.name} refused: ${reason}`);

  registry.recordProvisionAttempt(state);
  if (req.attestation) checkAttestation(state, req.attestation, 'provision');
  if (req.casKeyHash.toLowerCase() !== state.keyHash) {
    throw refuse(`CAS key hash ${state.keyHash} does not match -c ${req.casKeyHash}`);
  }
  if (state.owner !== null) throw refuse('CAS is already provisioned');
  if (!sameSecret(req.token, state.provisioningToken)) throw refuse('wrong provisioning token');
  if (req.databaseKey && state.mrsigner === SCONTAIN_STD_SIGNER) {
    throw refuse('a CAS signed by the Scontain standard signer does not accept --database-key');
  }
  if (req.ownerConfig.trim() === '') throw refuse('the owner config is empty');
  if (pcs) await checkDcapKey(req.ownerConfig, pcs, refuse);

  registry.recordProvisioning(state, req.caller.toLowerCase(), req.ownerConfig);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// [inference] The real CAS fetches DCAP collateral from Intel PCS with the owner config's
// `[dcap] subscription_key`; a rejected key makes later attestations fail. The stand-in
// checks the key once, at provisioning, so a wrong key surfaces where casflow can see it.
// The all-zero key means "use the cloud's collateral cache" and is not checked.
async function checkDcapKey(
  ownerConfig: string,
  pcs: PcsTarget,
  refuse: (reason: string) => CasRefusedError,
): Promise<void> {
  const key = dcapKeyOf(ownerConfig);
  if (key === undefined || /^0+$/.test(key)) return;

  let status: number;
  try {
    const res = await fetch(new URL('/sgx/certification/v4/qe/identity', pcs.url), {
      headers: { 'Ocp-Apim-Subscription-Key': key },
    });
    status = res.status;
  } catch (err) {
    throw new CasRefusedError('refused', `Intel PCS at ${pcs.url} is unreachable`, { cause: err });
  }
  if (status === 401) throw refuse('Intel PCS rejected the owner config [dcap] subscription_key (HTTP 401)');
  if (status !== 200) throw refuse(`Intel PCS answered HTTP ${status} for the owner config [dcap] subscription_key`);
}
