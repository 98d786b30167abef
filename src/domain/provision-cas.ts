// Input and result of the provisionCas workflow. The input is plain JSON so it can be given to
// `temporal workflow start --input`; secrets (DCAP key, owner config) travel by reference only.
import { z } from 'zod';
import { CasName, Dns1123Label } from './names.ts';
import { Duration } from './durations.ts';
import { DEFAULT_ACCEPT_FLAGS, unknownAcceptFlags } from './tolerations.ts';
import {
  DEFAULT_IMAGE_REGISTRY,
  DEFAULT_SCONE_VERSION,
  ImageReference,
  ImageRegistry,
  SconeVersion,
} from './versions.ts';
import { CasStatus } from './cas-status.ts';

const Dns1123Subdomain = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a DNS-1123 subdomain' });

/** A Secret in the CAS namespace holding inputs too sensitive for workflow history. */
export const InputSecretRef = z.strictObject({
  secretName: Dns1123Subdomain,
  /** Key holding the DCAP API key; default "dcapKey". */
  dcapKeyField: z.string().min(1).optional(),
  /** Key holding the owner config (already env-substituted); default "ownerConfig". */
  ownerConfigField: z.string().min(1).optional(),
});
export type InputSecretRef = z.infer<typeof InputSecretRef>;

export const WebhookUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) URL' },
);

export const ProvisionDeadlines = z.strictObject({
  /** Pod `<name>-0` running and its service present; default 10m. */
  pod: Duration.default(600_000),
  /** `status.provisioned` Yes after provisioning; default 5m. */
  provisioned: Duration.default(300_000),
  /** `status.state` HEALTHY after the backup controller is enabled; default 30m. */
  healthy: Duration.default(1_800_000),
});

export const ProvisionCasInput = z
  .strictObject({
    name: CasName,
    namespace: Dns1123Label.default('default'),
    /** --set-version; default the current SCONE release. */
    version: SconeVersion.default(DEFAULT_SCONE_VERSION),
    /** --image-registry; default registry.scontain.com/scone.cloud. */
    imageRegistry: ImageRegistry.default(DEFAULT_IMAGE_REGISTRY),
    /** --image-overwrite: replaces the CAS image (testing). */
    imageOverwrite: ImageReference.optional(),
    /** --set-tolerations: the TCB acceptance flags; default the plugin's three. */
    acceptFlags: z
      .array(z.string())
      .default([...DEFAULT_ACCEPT_FLAGS])
      .refine((flags) => unknownAcceptFlags(flags).length === 0, {
        message: 'only --accept-configuration-needed, --accept-group-out-of-date, --accept-sw-hardening-needed',
      }),
    /** DCAP key and owner config, by reference. */
    secrets: InputSecretRef.optional(),
    /** --webhook: forward the audit log to this URL. */
    webhook: WebhookUrl.optional(),
    /** --no-backup: leave the backup controller disabled. */
    noBackup: z.boolean().default(false),
    /** --wait: wait until the CAS is HEALTHY. */
    wait: z.boolean().default(false),
    /** --nonce: 32 hex characters for status.dcapReport; default random. */
    nonce: z
      .string()
      .regex(/^[0-9a-f]{32}$/, { message: 'must be 32 lower-case hexadecimal characters' })
      .optional(),
    deadlines: ProvisionDeadlines.default({ pod: 600_000, provisioned: 300_000, healthy: 1_800_000 }),
  })
  .refine((input) => !(input.wait && input.noBackup), {
    message: '--wait cannot be combined with --no-backup: without the backup controller the CAS stays PENDING',
    path: ['wait'],
  });
export type ProvisionCasInput = z.input<typeof ProvisionCasInput>;
export type ProvisionCasParams = z.output<typeof ProvisionCasInput>;

export const CasKeys = z.strictObject({
  casKey: z.string(),
  casSoftwareKey: z.string(),
  casSessionEncryptionKey: z.string(),
  casCertificate: z.string(),
});
export type CasKeys = z.infer<typeof CasKeys>;

export interface ProvisionCasResult {
  outcome: 'provisioned' | 'already-provisioned';
  namespace: string;
  name: string;
  casAddress?: string;
  status?: CasStatus;
  keys?: CasKeys;
  /** Where the owner identity is kept (a description of the location, never its content). */
  ownerIdentity?: string;
  dcapKeySource?: 'input' | 'las' | 'default';
  warnings: string[];
}
