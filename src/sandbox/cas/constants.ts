// Values the real CAS and plugin use, kept in one place so the CAS stand-in, the scone
// stand-in and the tests agree. Sources: scontain/SH 6.0.5 `kubectl-provision` (K_MRSIGNER_*,
// K_ISVPRODID, K_ISVSVN) and the session templates in scontain/manifests.

/** MRSIGNER of Scontain's standard CAS images (the plugin's SGX_STD_TOLERATIONS). */
export const SCONTAIN_STD_SIGNER = 'b6c14ae06a05284253b548038e269f8225718bc0856828f491ed85174ccc2979';

/** MRSIGNER of CAS images that allow database-key injection (the plugin's SGX_TOLERATIONS). */
export const DB_KEY_INJECTION_SIGNER = '195e5a6df987d6a515dd083750c1ea352283f8364d3ec9142b0d593988c6ed2d';

/** ISVPRODID every CAS enclave reports. */
export const CAS_ISVPRODID = 41316;

/** ISVSVN the stand-in CAS enclave reports; `--isvsvn` is a minimum. */
export const CAS_ISVSVN = 5;

/** Session file format version the plugin writes. */
export const SESSION_VERSION = '0.3.10';

/** Sessions under this name belong to the CAS owner. */
export const OWNER_SESSION_NAMESPACE = 'cas-owner';
