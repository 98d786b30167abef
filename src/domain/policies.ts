// The owner's policies (SCONE sessions) created right after provisioning.
import { stringify } from 'yaml';
import { BACKUP_POLICY_NAME } from './cas-resource.ts';

export const SESSION_VERSION = '0.3.10';
export const PROVISIONED_POLICY = 'provisioned';
export const OWNER_POLICY = 'cas-owner';

export interface OwnerPolicy {
  name: string;
  body: string;
}

/** The owner's own namespace policy: only the creator (the owner) reads or changes it. */
function casOwnerPolicy(): OwnerPolicy {
  return {
    name: OWNER_POLICY,
    body: stringify({
      name: OWNER_POLICY,
      version: SESSION_VERSION,
      access_policy: { read: ['CREATOR'], update: ['CREATOR'] },
    }),
  };
}

/**
 * The backup controller's policy: its CLI enclave (SCONE_CLI_MRENCLAVE) may run register-backup and
 * register-upgrade with the owner identity injected. The identity is a secret and goes only to CAS.
 */
function backupPolicy(cliMrenclave: string, ownerIdentity: string): OwnerPolicy {
  const service = (name: string, command: string) => ({
    name,
    mrenclaves: [cliMrenclave],
    command,
    environment: { SCONE_CLI_CONFIG: '/etc/owner-identity.json' },
  });
  return {
    name: BACKUP_POLICY_NAME,
    body: stringify({
      name: BACKUP_POLICY_NAME,
      version: SESSION_VERSION,
      access_policy: { read: ['CREATOR'], update: ['CREATOR'] },
      services: [
        service('register', 'scone cas register-backup -SCG @@3'),
        service('upgrade', 'scone cas register-upgrade -SCG @@3'),
      ],
      images: [
        { name: 'backup-controller', injection_files: [{ path: '/etc/owner-identity.json', content: ownerIdentity }] },
      ],
      security: {
        attestation: { tolerate: ['debug-mode', 'hyperthreading', 'outdated-tcb', 'software-hardening-needed'] },
      },
    }),
  };
}

/** Marker that provisioning finished; readable by ANY so anyone can check it. */
function provisionedPolicy(): OwnerPolicy {
  return {
    name: PROVISIONED_POLICY,
    body: stringify({
      name: PROVISIONED_POLICY,
      version: SESSION_VERSION,
      access_policy: { read: ['ANY'], update: ['CREATOR'] },
    }),
  };
}

/** In creation order: cas-owner, cas-owner/primary-backup, provisioned (the marker comes last). */
export function ownerPolicies(cliMrenclave: string, ownerIdentity: string): OwnerPolicy[] {
  return [casOwnerPolicy(), backupPolicy(cliMrenclave, ownerIdentity), provisionedPolicy()];
}
