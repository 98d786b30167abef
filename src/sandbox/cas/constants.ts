// Values the real CAS and plugin use, kept in one place so the CAS stand-in, the scone
// stand-in and the tests agree. Sources: scontain/SH 6.0.5 `kubectl-provision` (K_MRSIGNER_*,
// K_ISVPRODID, K_ISVSVN) and the session templates in scontain/manifests.

// The two MRSIGNER values (K_MRSIGNER_SCONTAIN, K_MRSIGNER_DB) are casflow's own defaults too.
export { DB_KEY_INJECTION_SIGNER, SCONTAIN_STD_SIGNER } from '../../domain/tolerations.ts';

/** ISVPRODID every CAS enclave reports. */
export const CAS_ISVPRODID = 41316;

/** ISVSVN the stand-in CAS enclave reports; `--isvsvn` is a minimum. */
export const CAS_ISVSVN = 5;

/** Session file format version the plugin writes. */
export const SESSION_VERSION = '0.3.10';

/** Sessions under this name belong to the CAS owner. */
export const OWNER_SESSION_NAMESPACE = 'cas-owner';
