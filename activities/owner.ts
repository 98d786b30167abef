// The owner's side of provisioning, done with the scone CLI: the owner identity, provisioning with
// attestation, attesting into the identity, the owner policies and the CAS public keys.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateOwnerConfig } from '../src/domain/owner-config.ts';
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

const ALREADY_PROVISIONED = /already (been )?provisioned/i;
const ATTESTATION_REFUSED = /attest|signer|toleran|tcb|configuration.?needed|out.?of.?date|hardening/i;
const NOT_FOUND = /not found|does not exist|no such session/i;
const NOT_OWNER = /owner|permission|not allowed|denied/i;

export function ownerActivities(deps: ActivityDeps) {
  const { credentials, kube, scone, signers } = deps;
  const run = (call: SconeCall) => runScone(scone, call);

  /** Tries each configured signer in order, as the plugin does; returns the first that attests. */
  async function withSigners(
    target: CasTarget,
    attempt: (signer: string) => Promise<void>,
  ): Promise<{ signer?: string; alreadyProvisioned: boolean }> {
    let lastReason = 'no signer configured';
    for (const signer of signers) {
      try {
        await attempt(signer);
        return { signer, alreadyProvisioned: false };
      } catch (error) {
        if (!(error instanceof SconeCommandError) || error.timedOut) throw error;
        if (ALREADY_PROVISIONED.test(error.reason)) return { alreadyProvisioned: true };
        if (!ATTESTATION_REFUSED.test(error.reason)) {
          throw permanent(
            PermanentFailure.attestationRefused,
            `CAS ${target.name} in namespace ${target.namespace}: ${error.message}`,
          );
        }
        lastReason = error.reason;
      }
    }
    throw permanent(
      PermanentFailure.attestationRefused,
      `Attestation of CAS ${target.name} in namespace ${target.namespace} failed with every configured signer ` +
        `(${signers.length}); last reason: ${lastReason}`,
    );
  }

  async function ownerConfigText(input: ProvisionOwnerInput): Promise<string> {
    const own = await credentials.read(credentialKeys.ownerConfig(input.namespace, input.name));
    if (own) return own.toString('utf8');
    const dcapKey = await credentials.read(credentialKeys.dcapKey(input.namespace, input.name));
    if (!dcapKey) {
      throw permanent(
        PermanentFailure.missingCredential,
        `No DCAP key stored for CAS ${input.name} in namespace ${input.namespace}; resolve it first`,
      );
    }
    return generateOwnerConfig({ ...input, dcapKey: dcapKey.toString('utf8') });
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
      const config = await ownerConfigText(input);
      const log = parseCasStartupLines(await readCasLog(kube, input.namespace, podNameOf(input.name)));
      const token = log.provisioningToken;
      if (!token) throw new Error(`CAS ${input.name} has not printed its provisioning token yet`);

      const result = await withHeartbeat(
        () => ({ step: 'provision' }),
        (signal) =>
          withOwnerIdentity(credentials, input, async ({ dir }) => {
            const configFile = join(dir, 'owner-config.toml');
            await writeFile(configFile, config, { mode: 0o600 });
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
                secrets: [token, config],
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
            if (!(error instanceof SconeCommandError) || !NOT_FOUND.test(error.reason)) throw error;
          }
          const file = join(dir, 'session.yaml');
          await writeFile(file, policy.body, { mode: 0o600 });
          try {
            await run({ command: ['session', 'create'], args: [file], identityDir: dir, secrets: [identity] });
          } catch (error) {
            if (error instanceof SconeCommandError && NOT_OWNER.test(error.reason)) {
              throw permanent(
                PermanentFailure.notCasOwner,
                `CAS ${target.name} in namespace ${target.namespace} is owned by another identity: ` +
                  `creating policy ${policy.name} was refused (${error.reason})`,
              );
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

/** The parts of the CLI state the backup controller needs (identity, CAS entries, signing seed). */
function ownerIdentityForPolicy(configJson: string): string {
  const config = JSON.parse(configJson) as Record<string, unknown>;
  return JSON.stringify({
    identity: config.identity,
    cas_db: config.cas_db,
    session_signing_keypair_ed25519_seed: config.session_signing_keypair_ed25519_seed,
  });
}
