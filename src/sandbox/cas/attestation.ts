// How the stand-in CAS answers attestation. It reports a TCB that needs configuration, is
// group-out-of-date and needs software hardening (a typical cloud SGX host), so the CLI must
// pass all of -C, -G and -S, as the plugin's SGX_TOLERATIONS do; and it is signed by its
// instance's `mrsigner` with ISVPRODID 41316 and ISVSVN 5.
import type { AttestationRequest } from './api.ts';
import { CAS_ISVPRODID, CAS_ISVSVN } from './constants.ts';
import { CasRefusedError } from './errors.ts';
import type { CasInstanceState } from './registry.ts';

const TCB_NEEDS: ReadonlyArray<[keyof AttestationRequest, string]> = [
  ['acceptConfigurationNeeded', '--accept-configuration-needed'],
  ['acceptGroupOutOfDate', '--accept-group-out-of-date'],
  ['acceptSwHardeningNeeded', '--accept-sw-hardening-needed'],
];

/** Throws when the CLI would not trust this CAS with these attestation options. */
export function checkAttestation(
  state: CasInstanceState,
  req: AttestationRequest,
  purpose: 'attest' | 'provision',
): void {
  const fail = (reason: string) =>
    new CasRefusedError('refused', `Attestation of CAS ${state.namespace}/${state.name} failed: ${reason}`);

  if (state.attestationFailure) throw fail('the CAS enclave quote could not be verified (fault attestation-failure)');
  if (!req.trustAny) checkMeasurements(state, req, fail);
  // Provisioning is how an unprovisioned CAS gets its owner, so only plain attestation
  // refuses an unprovisioned CAS.
  if (purpose === 'attest' && state.owner === null && !req.allowUnprovisioned) {
    throw fail('CAS is not provisioned (pass --only_for_testing_allow-unprovisioned-cas to attest it anyway)');
  }
}

function checkMeasurements(
  state: CasInstanceState,
  req: AttestationRequest,
  fail: (reason: string) => CasRefusedError,
): void {
  if (req.casKeyHash && req.casKeyHash.toLowerCase() !== state.keyHash) {
    throw fail(`CAS key hash ${state.keyHash} does not match -c ${req.casKeyHash}`);
  }
  if (req.softwareKeyHash && req.softwareKeyHash.toLowerCase() !== state.softwareKeyHash) {
    throw fail(`CAS software key hash ${state.softwareKeyHash} does not match -s ${req.softwareKeyHash}`);
  }

  const missing = TCB_NEEDS.filter(([field]) => req[field] !== true).map(([, flag]) => flag);
  if (missing.length > 0) {
    throw fail(`TCB status needs tolerations that were not given: ${missing.join(', ')}`);
  }

  if (req.signer && !req.ignoreSigner) {
    const { mrsigner, isvprodid, isvsvn } = req.signer;
    if (mrsigner.toLowerCase() !== state.mrsigner) {
      throw fail(`enclave signer ${state.mrsigner} does not match --mrsigner ${mrsigner}`);
    }
    if (isvprodid !== CAS_ISVPRODID)
      throw fail(`enclave ISVPRODID ${CAS_ISVPRODID} does not match --isvprodid ${isvprodid}`);
    if (isvsvn > CAS_ISVSVN) throw fail(`enclave ISVSVN ${CAS_ISVSVN} is below --isvsvn ${isvsvn}`);
  }
}
