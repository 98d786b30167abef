/**
 * provisionCas: provision a SCONE CAS, as `kubectl provision cas NAME` does.
 *
 *  1. check-preconditions  namespace exists; a provisioned CAS is reported and left untouched;
 *                          a new CAS needs no leftover database volume
 *  2. resolve-dcap-key     input Secret, else LAS spec.dcapKey, else the all-zero key (warning)
 *  3. create-cas           the CAS resource, unless it exists
 *  4. wait-for-pod         pod <name>-0 running and its service present
 *  5. read-key-hash        the CAS key hash (and token presence) from the pod log
 *  6. owner-identity       the owner identity in the credential store (created once)
 *  7. provision-owner      `scone cas provision … with-attestation`, each signer in turn
 *  8. attest               attest the CAS into the owner identity
 *  9. create-policies      cas-owner, cas-owner/primary-backup, provisioned
 * 10. enable-backup        backup controller (unless noBackup) and probes
 * 11. wait-ready           status.provisioned Yes; with `wait`, status.state HEALTHY
 * 12. read-keys            the CAS public keys
 *
 * On failure nothing is rolled back: every step looks before it writes, so starting the workflow
 * again resumes where this run stopped. The failure names the CAS, the step and the last status.
 * Whatever the outcome, the input Secret (DCAP key, owner config) is deleted at the end.
 */
import { ApplicationFailure, CancellationScope, log, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { ProvisionCasInput, type ProvisionCasResult } from '../src/domain/provision-cas.ts';
import { casServiceAddress } from '../src/domain/names.ts';
import { ProgressTracker } from '../src/domain/progress.ts';
import { describeIssues } from '../src/domain/validation.ts';
import { PermanentFailure } from '../src/domain/failures.ts';
import { progressQuery } from './messages.ts';
import { STEP_OPTIONS, waitOptions } from './activity-options.ts';

const STEPS: [string, string][] = [
  ['check-preconditions', 'Check preconditions'],
  ['resolve-dcap-key', 'Resolve the DCAP key'],
  ['create-cas', 'Create the CAS resource'],
  ['wait-for-pod', 'Wait for the CAS pod and service'],
  ['read-key-hash', 'Read the CAS key hash'],
  ['owner-identity', 'Prepare the owner identity'],
  ['provision-owner', 'Provision the owner (with attestation)'],
  ['attest', 'Attest the CAS'],
  ['create-policies', 'Create the owner policies'],
  ['enable-backup', 'Enable backup controller and probes'],
  ['wait-ready', 'Wait until the CAS is ready'],
  ['read-keys', 'Read the CAS public keys'],
];

const steps = proxyActivities<Activities>(STEP_OPTIONS);

export async function provisionCas(rawInput: ProvisionCasInput): Promise<ProvisionCasResult> {
  const parsed = ProvisionCasInput.safeParse(rawInput);
  if (!parsed.success) {
    const staged = stagedSecretOf(rawInput);
    if (staged) await removeInputSecret(staged.namespace, staged.secretName);
    throw ApplicationFailure.nonRetryable(
      `Invalid provisionCas input: ${describeIssues(parsed.error, rawInput)}`,
      PermanentFailure.invalidInput,
    );
  }
  const input = parsed.data;
  const target = { namespace: input.namespace, name: input.name };
  const tracker = new ProgressTracker('provisionCas', input.namespace, input.name, STEPS);
  setHandler(progressQuery, () => tracker.progress);
  const warnings: string[] = [];

  try {
    tracker.start('check-preconditions');
    const pre = await steps.checkProvisionPreconditions(target);
    tracker.observe(pre.status);
    if (pre.presence === 'provisioned') {
      tracker.finish('check-preconditions', 'CAS is already provisioned');
      let status = pre.status;
      if (input.wait) {
        // Nothing is written, but --wait still means "return once it is HEALTHY" (or fail at the deadline).
        tracker.start('wait-ready');
        const deadlineAt = Date.now() + input.deadlines.healthy;
        const wait = proxyActivities<Activities>(waitOptions(deadlineAt, Date.now()));
        status = await wait.waitForCasStatus({
          ...target,
          deadlineAt,
          field: 'state',
          values: ['HEALTHY'],
          failOnFaultPhase: true,
        });
        tracker.observe(status);
        tracker.finish('wait-ready', 'HEALTHY');
      }
      tracker.complete();
      return { outcome: 'already-provisioned', ...target, status, warnings };
    }
    const found = {
      absent: 'new CAS',
      unprovisioned: 'CAS exists, not provisioned',
      interrupted: 'resuming an interrupted provisioning',
    } as const;
    tracker.finish('check-preconditions', found[pre.presence]);

    tracker.start('resolve-dcap-key');
    const dcap = await steps.resolveDcapKey({ ...target, secrets: input.secrets });
    if (dcap.warning) warnings.push(dcap.warning);
    tracker.finish('resolve-dcap-key', `from ${dcap.source}; owner config ${dcap.ownerConfig}`);
    if (dcap.ownerConfig === 'input' && input.webhook) {
      // The webhook only shapes the generated owner config; silently dropping it would lose the audit log.
      throw ApplicationFailure.nonRetryable(
        'webhook: cannot be combined with an own owner config; put the network sink into its [audit_log] instead',
        PermanentFailure.invalidInput,
      );
    }

    tracker.start('create-cas');
    const created = await steps.createCasResource({
      ...target,
      version: input.version,
      imageRegistry: input.imageRegistry,
      imageOverwrite: input.imageOverwrite,
      // uuid4() is replay-safe: it comes from the workflow's seeded random source.
      nonce: input.nonce ?? uuid4().replaceAll('-', ''),
    });
    tracker.finish('create-cas', created.created ? `created, image ${created.image}` : 'already there');

    tracker.start('wait-for-pod');
    const podDeadline = Date.now() + input.deadlines.pod;
    const waits = proxyActivities<Activities>(waitOptions(podDeadline, Date.now()));
    const endpoint = await waits.waitForCasPod({ ...target, deadlineAt: podDeadline });
    const address = casServiceAddress(input.namespace, input.name, endpoint.clientPort);
    tracker.finish('wait-for-pod', `${endpoint.podName} on ${endpoint.nodeName ?? 'unknown node'}; ${address}`);

    tracker.start('read-key-hash');
    const { keyHash } = await waits.readCasKeyHash({ ...target, deadlineAt: podDeadline });
    tracker.finish('read-key-hash', keyHash);

    tracker.start('owner-identity');
    const identity = await steps.ensureOwnerIdentity(target);
    tracker.finish('owner-identity', `${identity.created ? 'created' : 'reused'} at ${identity.location}`);

    tracker.start('provision-owner');
    const attestInput = { ...target, address, keyHash, acceptFlags: input.acceptFlags };
    const provisioned = await steps.provisionCasOwner({
      ...attestInput,
      clusterIP: endpoint.clusterIP,
      webhook: input.webhook,
    });
    tracker.finish('provision-owner', provisioned.alreadyProvisioned ? 'CAS already had an owner' : 'provisioned');

    tracker.start('attest');
    const attested = await steps.attestCas(attestInput);
    tracker.finish('attest', `signer ${attested.signer.slice(0, 12)}…`);

    tracker.start('create-policies');
    const policies = await steps.createCasPolicies(target);
    tracker.finish('create-policies', `created ${policies.created.length}, kept ${policies.existing.length}`);

    tracker.start('enable-backup');
    await steps.enableBackupAndProbes({
      ...target,
      imageRegistry: input.imageRegistry,
      version: input.version,
      noBackup: input.noBackup,
    });
    tracker.finish('enable-backup', input.noBackup ? 'probes only (--no-backup)' : 'backup controller and probes');

    tracker.start('wait-ready');
    const readyDeadline = Date.now() + (input.wait ? input.deadlines.healthy : input.deadlines.provisioned);
    const readyWait = proxyActivities<Activities>(waitOptions(readyDeadline, Date.now()));
    const common = { ...target, deadlineAt: readyDeadline, failOnFaultPhase: true };
    let status = await readyWait.waitForCasStatus({ ...common, field: 'provisioned', values: ['Yes'] });
    tracker.observe(status);
    if (input.wait) {
      status = await readyWait.waitForCasStatus({ ...common, field: 'state', values: ['HEALTHY'] });
      tracker.observe(status);
    }
    tracker.finish('wait-ready', input.wait ? 'HEALTHY' : 'provisioned');

    tracker.start('read-keys');
    const keys = await steps.readCasPublicKeys(target);
    tracker.finish('read-keys');

    if (input.secrets)
      await steps.deleteInputSecret({ namespace: input.namespace, secretName: input.secrets.secretName });
    tracker.complete();
    return {
      outcome: 'provisioned',
      ...target,
      casAddress: address,
      status,
      keys,
      ownerIdentity: identity.location,
      dcapKeySource: dcap.source,
      warnings,
    };
  } catch (error) {
    tracker.fail(messageOf(error));
    throw error;
  } finally {
    if (input.secrets) await removeInputSecret(input.namespace, input.secrets.secretName);
  }
}

/** Where a refused input says its Secret is, when that much of it is readable. */
function stagedSecretOf(raw: unknown): { namespace: string; secretName: string } | undefined {
  const loose = (raw ?? {}) as { namespace?: unknown; secrets?: { secretName?: unknown } };
  const namespace = loose.namespace ?? 'default';
  const secretName = loose.secrets?.secretName;
  const valid = (v: unknown): v is string => typeof v === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v);
  return valid(namespace) && valid(secretName) && namespace.length <= 63 ? { namespace, secretName } : undefined;
}

/**
 * The staged Secret holds the DCAP key and owner config; it goes whatever the outcome, even when the
 * workflow is cancelled. A failure to remove it is logged, never allowed to hide the real outcome.
 */
async function removeInputSecret(namespace: string, secretName: string): Promise<void> {
  try {
    await CancellationScope.nonCancellable(() => steps.deleteInputSecret({ namespace, secretName }));
  } catch (error) {
    log.warn('Could not remove the input Secret', { namespace, secretName, error: messageOf(error) });
  }
}

function messageOf(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as { message?: string; cause?: unknown };
  return current?.message ?? String(error);
}
