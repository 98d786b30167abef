// Builds the provisionCas workflow input from the request and validates it with the domain schema,
// so the CLI and `temporal workflow start --input` go through one schema. Messages name the flag.
import type { z } from 'zod';
import { dcapKeyProblem } from '../domain/dcap.ts';
import { ProvisionCasInput, type ProvisionCasParams } from '../domain/provision-cas.ts';
import { DEFAULT_ACCEPT_FLAGS, unknownAcceptFlags } from '../domain/tolerations.ts';
import { DEFAULT_IMAGE_REGISTRY, DEFAULT_SCONE_VERSION } from '../domain/versions.ts';
import { UsageError } from './cli-error.ts';
import type { Env } from './env-subst.ts';
import type { CliRequest } from './request.ts';

/** Values the plugin takes from a flag or else from an environment variable. */
export interface Settings {
  version: string;
  imageRegistry: string;
  dcapKey?: { value: string; source: string };
  acceptFlags?: string[];
}

/** Which flag (or variable) each input field comes from, for error messages. */
const FLAG_OF: Record<string, string> = {
  name: 'NAME',
  namespace: '--namespace',
  version: '--set-version',
  imageRegistry: '--image-registry',
  imageOverwrite: '--image-overwrite',
  acceptFlags: '--set-tolerations',
  webhook: '--webhook',
  nonce: '--nonce',
  wait: '--wait',
  'deadlines.pod': '--timeout-pod',
  'deadlines.provisioned': '--timeout-provisioned',
  'deadlines.healthy': '--timeout-healthy',
};

const ALLOWED = `${DEFAULT_ACCEPT_FLAGS.join(', ')} (or -C, -G, -S)`;

/** --set-tolerations, else the accept part of SGX_TOLERATIONS, else undefined (the default three). */
export function acceptFlagsFrom(request: CliRequest, env: Env): string[] | undefined {
  const fromFlag = request.flags.setTolerations;
  // SGX_TOLERATIONS also carries --isvprodid/--isvsvn/--mrsigner; only its accept part is ours.
  const source = fromFlag !== undefined ? '--set-tolerations' : 'SGX_TOLERATIONS';
  const flags =
    fromFlag !== undefined
      ? fromFlag.split(/\s+/).filter(Boolean)
      : env.SGX_TOLERATIONS
        ? env.SGX_TOLERATIONS.split(/\s+/).filter((word) => /^--accept-/.test(word) || /^-[CGS]$/.test(word))
        : undefined;
  if (flags === undefined) return undefined;

  if (fromFlag !== undefined && flags.length === 0) {
    throw new UsageError(`Invalid --set-tolerations: must list at least one of ${ALLOWED}`);
  }
  const unknown = unknownAcceptFlags(flags);
  if (unknown.length > 0) throw new UsageError(`Invalid ${source}: unknown flag "${unknown[0]}"; allowed: ${ALLOWED}`);
  return flags;
}

/** Resolves flag-or-environment settings; the DCAP key is checked but never echoed. */
export function resolveSettings(request: CliRequest, env: Env): Settings {
  const flags = request.flags;
  const settings: Settings = {
    version: flags.setVersion ?? (env.VERSION || DEFAULT_SCONE_VERSION),
    imageRegistry: flags.imageRegistry ?? (env.IMAGE_REPO || DEFAULT_IMAGE_REGISTRY),
    acceptFlags: acceptFlagsFrom(request, env),
  };

  const source = flags.dcapApi !== undefined ? '--dcap-api' : env.DCAP_KEY ? 'DCAP_KEY' : undefined;
  if (source) {
    const value = (flags.dcapApi ?? env.DCAP_KEY)!;
    const problem = dcapKeyProblem(value);
    if (problem) throw new UsageError(`Invalid ${source}: ${problem.replace(/^dcapKey: /, '')}`);
    settings.dcapKey = { value, source };
  }
  return settings;
}

function describe(error: z.ZodError, input: Record<string, unknown>): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const flag = FLAG_OF[path] ?? FLAG_OF[String(issue.path[0])] ?? path;
      let value: unknown = input;
      for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
      const got = issue.message.includes('(got ') || value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
      return `Invalid ${flag}: ${issue.message}${got}`;
    })
    .join('; ');
}

/** The workflow input, parsed (defaults filled in) so the history shows every effective value. */
export function buildProvisionInput(
  request: CliRequest,
  settings: Settings,
  secretName: string | undefined,
): ProvisionCasParams {
  const flags = request.flags;
  const deadlines = {
    pod: flags.timeoutPod,
    provisioned: flags.timeoutProvisioned,
    healthy: flags.timeoutHealthy,
  };
  const input: Record<string, unknown> = {
    name: request.name,
    namespace: request.namespace,
    version: settings.version,
    imageRegistry: settings.imageRegistry,
    imageOverwrite: flags.imageOverwrite,
    acceptFlags: settings.acceptFlags,
    secrets: secretName ? { secretName } : undefined,
    webhook: flags.webhook,
    noBackup: flags.noBackup ?? false,
    wait: flags.wait ?? false,
    // The plugin accepts upper-case hex; the CRD's nonce is lower-case.
    nonce: flags.nonce && /^[0-9A-Fa-f]{32}$/.test(flags.nonce) ? flags.nonce.toLowerCase() : flags.nonce,
    deadlines: Object.values(deadlines).some((d) => d !== undefined) ? dropUndefined(deadlines) : undefined,
  };

  const result = ProvisionCasInput.safeParse(dropUndefined(input));
  if (!result.success) throw new UsageError(describe(result.error, input));
  return result.data;
}

function dropUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
