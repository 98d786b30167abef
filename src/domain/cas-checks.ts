// Inputs and results of the read-only CAS workflows: casStatus (--is-provisioned) and verifyCas
// (--verify, --print-public-keys).
import { z } from 'zod';
import { CasName, Dns1123Label } from './names.ts';
import { DEFAULT_ACCEPT_FLAGS, unknownAcceptFlags } from './tolerations.ts';
import type { CasStatus } from './cas-status.ts';
import type { CasKeys } from './provision-cas.ts';

export const CasStatusInput = z.strictObject({
  name: CasName,
  namespace: Dns1123Label.default('default'),
});
export type CasStatusInput = z.input<typeof CasStatusInput>;

export interface CasStatusResult {
  exists: boolean;
  provisioned: boolean;
  status?: CasStatus;
}

export const VerifyCasInput = z.strictObject({
  name: CasName,
  namespace: Dns1123Label.default('default'),
  printPublicKeys: z.boolean().default(false),
  acceptFlags: z
    .array(z.string())
    .default([...DEFAULT_ACCEPT_FLAGS])
    .refine((flags) => unknownAcceptFlags(flags).length === 0, {
      message: 'only --accept-configuration-needed, --accept-group-out-of-date, --accept-sw-hardening-needed',
    }),
});
export type VerifyCasInput = z.input<typeof VerifyCasInput>;

export interface VerifyCasResult {
  exists: boolean;
  provisioned: boolean;
  attestable: boolean;
  /** Why the CAS is not attestable or not provisioned. */
  reason?: string;
  keys?: CasKeys;
  status?: CasStatus;
}
