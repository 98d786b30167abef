// Shapes the CLI checks workflow results against before printing them (src/domain declares the
// result types as interfaces; these loose schemas guard the CLI against a mismatched worker).
import { z } from 'zod';
import { CasStatus } from '../domain/cas-status.ts';
import { CasKeys } from '../domain/provision-cas.ts';

export const CasStatusResult = z
  .object({ exists: z.boolean().optional(), provisioned: z.boolean(), status: CasStatus.optional() })
  .loose();
export type CasStatusResult = z.infer<typeof CasStatusResult>;

export const VerifyCasResult = z
  .object({
    exists: z.boolean().optional(),
    attestable: z.boolean(),
    provisioned: z.boolean(),
    keys: CasKeys.optional(),
    reason: z.string().optional(),
    status: CasStatus.optional(),
  })
  .loose();
export type VerifyCasResult = z.infer<typeof VerifyCasResult>;

export const ProvisionResult = z
  .object({
    outcome: z.enum(['provisioned', 'already-provisioned']),
    namespace: z.string(),
    name: z.string(),
    casAddress: z.string().optional(),
    status: CasStatus.optional(),
    keys: CasKeys.optional(),
    ownerIdentity: z.string().optional(),
    dcapKeySource: z.string().optional(),
    warnings: z.array(z.string()).default([]),
  })
  .loose();
export type ProvisionResult = z.infer<typeof ProvisionResult>;
