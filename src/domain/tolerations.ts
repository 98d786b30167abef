// Attestation tolerations as the plugin passes them to `scone cas attest|provision`.

/** The three TCB acceptance flags the plugin sets by default (replaced by --set-tolerations). */
export const DEFAULT_ACCEPT_FLAGS = [
  '--accept-configuration-needed',
  '--accept-group-out-of-date',
  '--accept-sw-hardening-needed',
] as const;

const ALLOWED_ACCEPT_FLAGS = new Set<string>([...DEFAULT_ACCEPT_FLAGS, '-C', '-G', '-S']);

/** Signer of CAS images that allow database-key injection; the plugin tries it first. */
export const DB_KEY_INJECTION_SIGNER = '195e5a6df987d6a515dd083750c1ea352283f8364d3ec9142b0d593988c6ed2d';

const SIGNER_ISVPRODID = '41316';
const SIGNER_ISVSVN = '5';

/** Splits a --set-tolerations value and returns the unknown flags (empty when all are allowed). */
export function unknownAcceptFlags(flags: readonly string[]): string[] {
  return flags.filter((flag) => !ALLOWED_ACCEPT_FLAGS.has(flag));
}

/** The full attestation arguments for one signer, in the order the plugin builds them. */
export function attestationArgs(acceptFlags: readonly string[], signer: string): string[] {
  return [...acceptFlags, '--isvprodid', SIGNER_ISVPRODID, '--isvsvn', SIGNER_ISVSVN, '--mrsigner', signer];
}
/** Signer of Scontain's standard CAS images; the plugin retries with it (SGX_STD_TOLERATIONS). */
export const SCONTAIN_STD_SIGNER = 'b6c14ae06a05284253b548038e269f8225718bc0856828f491ed85174ccc2979';

/** Signers in the plugin's order (K_MRSIGNER_DB, then K_MRSIGNER_SCONTAIN in kubectl-provision 6.0.5). */
export const DEFAULT_SIGNERS = [DB_KEY_INJECTION_SIGNER, SCONTAIN_STD_SIGNER] as const;
