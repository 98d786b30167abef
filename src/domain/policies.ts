// The owner's policies (SCONE sessions) created right after provisioning, shaped like the plugin's
// cas-owner.yaml and backup_policy.yaml templates (6.0.5).
import { stringify } from 'yaml';
import { BACKUP_POLICY_NAME } from './cas-resource.ts';

export const SESSION_VERSION = '0.3.10';
export const PROVISIONED_POLICY = 'provisioned';
export const OWNER_POLICY = 'cas-owner';

export interface OwnerPolicy {
  name: string;
  body: string;
}

const CREATOR_ONLY = { read: ['CREATOR'], update: ['CREATOR'] };

/** The owner's namespace: only the creator (the owner) reads or changes what is under it. */
function casOwnerPolicy(): OwnerPolicy {
  return {
    name: OWNER_POLICY,
    body: stringify({
      name: OWNER_POLICY,
      version: SESSION_VERSION,
      access_policy: CREATOR_ONLY,
      secrets: [
        { name: 'access_policy', export: [{ namespace: OWNER_POLICY }], kind: 'config-fragment', value: CREATOR_ONLY },
        {
          name: 'security_policy',
          export: [{ namespace: OWNER_POLICY }, { session: `${OWNER_POLICY}-owner-identity` }],
          kind: 'config-fragment',
          value: {
            attestation: {
              tolerate: [
                'outdated-tcb',
                'aepic-leak',
                'insecure-configuration',
                'hyperthreading',
                'insecure-igpu',
                'software-hardening-needed',
              ],
              ignore_advisories: '*',
            },
          },
        },
      ],
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
    image_name: 'cli',
    attestation: { mrenclave: [cliMrenclave] },
    command,
    environment: { SCONE_MODE: 'hw', SCONE_LOG: 'error', SCONE_CLI_CONFIG: '/etc/owner-identity.json' },
    pwd: '/',
  });
  return {
    name: BACKUP_POLICY_NAME,
    body: stringify({
      name: BACKUP_POLICY_NAME,
      version: SESSION_VERSION,
      security: {
        attestation: {
          tolerate: [
            'outdated-tcb',
            'software-hardening-needed',
            'insecure-configuration',
            'insecure-igpu',
            'aepic-leak',
          ],
          ignore_advisories: '*',
        },
      },
      services: [
        service('register', 'scone cas register-backup -SCG @@3'),
        service('upgrade', 'scone cas register-upgrade -SCG @@3'),
      ],
      images: [{ name: 'cli', injection_files: [{ path: '/etc/owner-identity.json', content: ownerIdentity }] }],
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
