// Where casflow keeps what must never enter workflow history: owner identities, DCAP keys, owner
// configs. Keys look like "cas/<namespace>/<name>/owner-identity".

export interface CredentialStore {
  /** Human-readable location of a key (for results and messages; never the content). */
  describe(key: string): string;
  read(key: string): Promise<Buffer | undefined>;
  /** Writes atomically: a reader sees the old value or the new one, never a part. */
  write(key: string, value: Buffer): Promise<void>;
  remove(key: string): Promise<void>;
}

const KEY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)*$/;

export function checkCredentialKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`Invalid credential key "${key}"`);
  return key;
}

export const credentialKeys = {
  ownerIdentity: (namespace: string, name: string) => `cas/${namespace}/${name}/owner-identity`,
  dcapKey: (namespace: string, name: string) => `cas/${namespace}/${name}/dcap-key`,
  ownerConfig: (namespace: string, name: string) => `cas/${namespace}/${name}/owner-config`,
  /** Holds the uid of the CAS whose provisioning casflow finished (all writes done). */
  provisioningComplete: (namespace: string, name: string) => `cas/${namespace}/${name}/provisioning-complete`,
};
