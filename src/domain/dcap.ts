// The DCAP API key (Intel PCS subscription key). It is a secret: schemas here never echo its value.

/** The all-zero key selects a cloud provider's collateral cache (Azure) instead of Intel PCS. */
export const ZERO_DCAP_KEY = '00000000000000000000000000000000';

const DCAP_KEY = /^[0-9a-fA-F]{32}$/;

export function isWellFormedDcapKey(key: string): boolean {
  return DCAP_KEY.test(key);
}

/** Where the DCAP key came from; the value itself never leaves the activity that reads it. */
export type DcapKeySource = 'input' | 'las' | 'default';

/** Checks a DCAP key; the message names the field only, never the value. */
export function dcapKeyProblem(key: string): string | undefined {
  return isWellFormedDcapKey(key) ? undefined : 'dcapKey: must be 32 hexadecimal characters (value not shown)';
}
