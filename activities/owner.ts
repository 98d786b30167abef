// The owner's side of provisioning, done with the scone CLI: the owner identity, provisioning with
// attestation, attesting into the identity, the owner policies and the CAS public keys.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateOwnerConfig } from '../src/domain/owner-config.ts';
import { dcapKeyOfConfig, OwnerConfigSyntaxError, parseOwnerConfig } from '../src/domain/owner-config-format.ts';
import { ownerPolicies } from '../src/domain/policies.ts';
import { attestationArgs } from '../src/domain/tolerations.ts';
import { podNameOf } from '../src/domain/names.ts';
import type { CasKeys } from '../src/domain/provision-cas.ts';
import { credentialKeys } from './credentials/store.ts';
import { parseCasStartupLines, readCasLog } from './kube/pod-log.ts';
import { recordCasEvent } from './kube/events.ts';
import { runScone, SconeCommandError, type SconeCall } from './scone/scone-cli.ts';
import { withEmptyWorkspace, withOwnerIdentity } from './scone/identity-workspace.ts';
import { withHeartbeat } from './heartbeat.ts';
import { showCasKeys } from './scone/cas-keys.ts';
import type { ActivityDeps, CasTarget } from './deps.ts';
import { permanent, PermanentFailure } from './errors.ts';

export interface AttestInput extends CasTarget {
  /** host:port the CLI reaches the CAS at. */
  address: string;
  keyHash: string;
  acceptFlags: string[];
}

export interface ProvisionOwnerInput extends AttestInput {
  clusterIP?: string;
  webhook?: string;
}

export interface ProvisionOwnerResult {
  /** True when the CAS refused because it already has an owner (a retry after a crash, or someone else). */
  alreadyProvisioned: boolean;
  signer?: string;
}

const NOT_FOUND = /not found|does not exist|no such session/i;
const NOT_OWNER = /owner|permission|not allowed|denied/i;

/** How a refusal of `scone cas provision|attest` is handled; see classifyRefusal. */
type Refusal = 'already-provisioned' | 'unreachable' | 'dcap-key' | 'token' | 'attestation' | 'unknown';

/**
 * Reads the CLI's reason. Order matters: a PCS refusal mentions the owner config, a key-hash
 * mismatch mentions attestation. Unknown reasons are retried (a transient cause is likelier than
 * a new permanent one), never turned into a permanent failure.
 */
export function classifyRefusal(reason: string): Refusal {
  if (/already (been )?provisioned/i.test(reason)) return 'already-provisioned';
  if (/unreachable|cannot reach|no cas is reachable|connection refused|timed? ?out|temporar/i.test(reason)) {
    return 'unreachable';
  }
  if (/\bPCS\b|subscription_key|DCAP/i.test(reason)) return 'dcap-key';
  if (/provisioning token/i.test(reason)) return 'token';
  if (/attest|signer|toleran|tcb|configuration.?needed|out.?of.?date|hardening/i.test(reason)) return 'attestation';
  return 'unknown';
}

export function ownerActivities(deps: ActivityDeps) {
  const { credentials, kube, scone, signers } = deps;
  const run = (call: SconeCall) => runScone(scone, call);

  /** Tries each configured signer in order, as the plugin does; returns the first that attests. */
  async function withSigners(
    target: CasTarget,
    attempt: (signer: string) => Promise<void>,
  ): Promise<{ signer?: string; alreadyProvisioned: boolean }> {
    let lastReason = 'no signer configured';
    const where = `CAS ${target.name} in namespace ${target.namespace}`;
    for (const signer of signers) {
      try {
        await attempt(signer);
        return { signer, alreadyProvisioned: false };
      } catch (error) {
        // No answer from the CAS (timeout, killed): retried by Temporal like any transient failure.
        if (!(error instanceof SconeCommandError) || error.noAnswer) throw error;
        switch (classifyRefusal(error.reason)) {
          case 'already-provisioned':
            return { alreadyProvisioned: true };
          case 'dcap-key':
            throw permanent(PermanentFailure.dcapKeyRejected, `${where}: ${error.reason}`);
          case 'token':
            throw permanent(PermanentFailure.provisioningRefused, `${where}: ${error.reason}`);
          case 'attestation':
            lastReason = error.reason; // try the next signer, as the plugin does
            continue;
          default:
            throw error;
        }
      }
    }
    throw permanent(
      PermanentFailure.attestationRefused,
      `Attestation of CAS ${target.name} in namespace ${target.namespace} failed with every configured signer ` +
        `(${signers.length}); last reason: ${lastReason}`,
    );
  }

  /** The owner config (the user's, or generated) and the secrets in it, for masking CLI messages. */
  async function ownerConfigOf(input: ProvisionOwnerInput): Promise<{ text: string; secrets: string[] }> {
    const stored = await credentials.read(credentialKeys.dcapKey(input.namespace, input.name));
    const dcapKey = stored?.toString('utf8');
    const own = await credentials.read(credentialKeys.ownerConfig(input.namespace, input.name));
    if (own) {
      const text = own.toString('utf8');
      let inConfig: string | undefined;
      try {
        inConfig = dcapKeyOfConfig(parseOwnerConfig(text, 'toml'));
      } catch (error) {
        if (!(error instanceof OwnerConfigSyntaxError)) throw error;
        throw permanent(PermanentFailure.invalidInput, `ownerConfig (from the input Secret): ${error.message}`);
      }
      return { text, secrets: [text, ...[dcapKey, inConfig].filter((k): k is string => !!k)] };
    }
    if (!dcapKey) {
      throw permanent(
        PermanentFailure.missingCredential,
        `No DCAP key stored for CAS ${input.name} in namespace ${input.namespace}; resolve it first`,
      );
    }
    const text = generateOwnerConfig({ ...input, dcapKey });
    return { text, secrets: [text, dcapKey] };
  }

  return {
    /** Creates the CAS's owner identity in the credential store unless it is there already. */
    async ensureOwnerIdentity(
      target: CasTarget,
    ): Promise<{ created: boolean; location: string; ownerKeyHash: string }> {
      const key = credentialKeys.ownerIdentity(target.namespace, target.name);
      const location = credentials.describe(key);
      if (await credentials.read(key)) {
        const hash = await withOwnerIdentity(credentials, target, ({ dir }) =>
          run({ command: ['self', 'show-key-hash'], args: [], identityDir: dir }),
        );
        return { created: false, location, ownerKeyHash: hash.trim() };
      }
      // The CLI creates its identity on first use; keep that file as the owner identity.
      const { hash, identity } = await withEmptyWorkspace(async (dir) => {
        const printed = await run({ command: ['self', 'show-key-hash'], args: [], identityDir: dir });
        return { hash: printed.trim(), identity: await readFile(join(dir, 'config.json')) };
      });
      await credentials.write(key, identity);
      return { created: true, location, ownerKeyHash: hash };
    },

    /** `scone cas provision … with-attestation`, first with each signer in turn. First provisioning wins. */
    async provisionCasOwner(input: ProvisionOwnerInput): Promise<ProvisionOwnerResult> {
      const config = await ownerConfigOf(input);
      const log = parseCasStartupLines(await readCasLog(kube, input.namespace, podNameOf(input.name)));
      const token = log.provisioningToken;
      if (!token) throw new Error(`CAS ${input.name} has not printed its provisioning token yet`);

      const result = await withHeartbeat(
        () => ({ step: 'provision' }),
        (signal) =>
          withOwnerIdentity(credentials, input, async ({ dir }) => {
            const configFile = join(dir, 'owner-config.toml');
            await writeFile(configFile, config.text, { mode: 0o600 });
            return withSigners(input, async (signer) => {
              await run({
                command: ['cas', 'provision'],
                args: [
                  input.address,
                  '-c',
                  input.keyHash,
                  '--token',
                  token,
                  '--config-file',
                  configFile,
                  'with-attestation',
                  ...attestationArgs(input.acceptFlags, signer),
                ],
                identityDir: dir,
                secrets: [token, ...config.secrets],
                signal,
              });
            });
          }),
      );
      await recordCasEvent(kube, {
        namespace: input.namespace,
        name: input.name,
        reason: result.alreadyProvisioned ? 'CasflowAlreadyOwned' : 'CasflowProvisioned',
        message: result.alreadyProvisioned
          ? 'CAS refused provisioning: it already has an owner; the owner policies will show whether it is ours'
          : 'casflow provisioned the CAS owner (with attestation)',
      });
      return result;
    },

    /** `scone cas attest`, recording the attested CAS in the owner identity; returns the signer used. */
    async attestCas(input: AttestInput): Promise<{ signer: string }> {
      const result = await withOwnerIdentity(credentials, input, ({ dir }) =>
        withSigners(input, async (signer) => {
          await run({
            command: ['cas', 'attest'],
            args: [input.address, '-c', input.keyHash, ...attestationArgs(input.acceptFlags, signer)],
            identityDir: dir,
          });
        }),
      );
      if (!result.signer) {
        throw permanent(PermanentFailure.attestationRefused, `CAS ${input.name} refused attestation unexpectedly`);
      }
      await recordCasEvent(kube, {
        namespace: input.namespace,
        name: input.name,
        reason: 'CasflowAttested',
        message: `CAS attested (signer ${result.signer.slice(0, 12)}…)`,
      });
      return { signer: result.signer };
    },

    /** Creates cas-owner, cas-owner/primary-backup and the `provisioned` marker; existing ones are kept. */
    async createCasPolicies(target: CasTarget): Promise<{ created: string[]; existing: string[] }> {
      const outcome = await withOwnerIdentity(credentials, target, async ({ dir, readIdentity }) => {
        const mrenclave = (
          await run({ command: ['cas'], args: [], identityDir: dir, env: { SCONE_HASH: '1' } })
        ).trim();
        const identity = ownerIdentityForPolicy(await readIdentity());
        const created: string[] = [];
        const existing: string[] = [];
        for (const policy of ownerPolicies(mrenclave, identity)) {
          try {
            await run({ command: ['session', 'read'], args: [policy.name], identityDir: dir });
            existing.push(policy.name);
            continue;
          } catch (error) {
            if (!(error instanceof SconeCommandError)) throw error;
            if (NOT_OWNER.test(error.reason) && !NOT_FOUND.test(error.reason))
              throw notOwner(target, policy.name, error);
            if (!NOT_FOUND.test(error.reason)) throw error;
          }
          const file = join(dir, 'session.yaml');
          await writeFile(file, policy.body, { mode: 0o600 });
          try {
            await run({ command: ['session', 'create'], args: [file], identityDir: dir, secrets: [identity] });
          } catch (error) {
            if (error instanceof SconeCommandError && NOT_OWNER.test(error.reason)) {
              throw notOwner(target, policy.name, error);
            }
            throw error;
          }
          created.push(policy.name);
        }
        return { created, existing };
      });
      await recordCasEvent(kube, {
        namespace: target.namespace,
        name: target.name,
        reason: 'CasflowPoliciesCreated',
        message: `owner policies created: ${outcome.created.join(', ') || 'none'}; already present: ${outcome.existing.join(', ') || 'none'}`,
      });
      return outcome;
    },

    /** CAS key, software key, session encryption key and certificate (all public). */
    async readCasPublicKeys(target: CasTarget): Promise<CasKeys> {
      return withOwnerIdentity(credentials, target, ({ dir }) => showCasKeys(scone, dir));
    },
  };
}

function notOwner(target: CasTarget, policy: string, error: SconeCommandError) {
  return permanent(
    PermanentFailure.notCasOwner,
    `CAS ${target.name} in namespace ${target.namespace} is owned by another identity: ` +
      `policy ${policy} was refused (${error.reason})`,
  );
}

/** The parts of the CLI state the backup controller needs (identity, CAS entries, signing seed). */
function ownerIdentityForPolicy(configJson: string): string {
  const config = JSON.parse(configJson) as Record<string, unknown>;
  return JSON.stringify({
    identity: config.identity,
    cas_db: config.cas_db,
    session_signing_keypair_ed25519_seed: config.session_signing_keypair_ed25519_seed,
  });
}
