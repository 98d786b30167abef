/**
 * casStatus and verifyCas: read-only checks of one CAS (plugin: --is-provisioned, --verify,
 * --print-public-keys).
 *
 * casStatus   1. read the CAS status                                → exists, provisioned
 * verifyCas   1. read the CAS status (not provisioned: stop, say so)
 *             2. find its pod, service and key hash
 *             3. attest it with a throwaway identity (each signer in turn); read its public keys
 *
 * Nothing is written, so a failure leaves nothing behind; the workflow fails only on bad input or
 * when the cluster cannot be read.
 */
import { ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import {
  CasStatusInput,
  VerifyCasInput,
  type CasStatusResult,
  type VerifyCasResult,
} from '../src/domain/cas-checks.ts';
import { casServiceAddress } from '../src/domain/names.ts';
import { ProgressTracker } from '../src/domain/progress.ts';
import { describeIssues } from '../src/domain/validation.ts';
import { PermanentFailure } from '../src/domain/failures.ts';
import { summariseCasStatus } from '../src/domain/cas-status.ts';
import { progressQuery } from './messages.ts';
import { STEP_OPTIONS, waitOptions } from './activity-options.ts';

const steps = proxyActivities<Activities>(STEP_OPTIONS);
const FIND_DEADLINE_MS = 60_000;

function invalid(what: string, error: Parameters<typeof describeIssues>[0], raw: unknown): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Invalid ${what} input: ${describeIssues(error, raw)}`,
    PermanentFailure.invalidInput,
  );
}

export async function casStatus(rawInput: CasStatusInput): Promise<CasStatusResult> {
  const parsed = CasStatusInput.safeParse(rawInput);
  if (!parsed.success) throw invalid('casStatus', parsed.error, rawInput);
  const input = parsed.data;
  const tracker = new ProgressTracker('casStatus', input.namespace, input.name, [
    ['read-status', 'Read the CAS status'],
  ]);
  setHandler(progressQuery, () => tracker.progress);

  tracker.start('read-status');
  const found = await steps.getCasStatus(input);
  tracker.observe(found.status);
  tracker.finish('read-status', found.exists ? summariseCasStatus(found.status) : 'no such CAS');
  tracker.complete();
  return { exists: found.exists, provisioned: found.status?.provisioned === 'Yes', status: found.status };
}

export async function verifyCas(rawInput: VerifyCasInput): Promise<VerifyCasResult> {
  const parsed = VerifyCasInput.safeParse(rawInput);
  if (!parsed.success) throw invalid('verifyCas', parsed.error, rawInput);
  const input = parsed.data;
  const target = { namespace: input.namespace, name: input.name };
  const tracker = new ProgressTracker('verifyCas', input.namespace, input.name, [
    ['read-status', 'Read the CAS status'],
    ['find-cas', 'Find the CAS pod, service and key hash'],
    ['attest', input.printPublicKeys ? 'Attest the CAS and read its keys' : 'Attest the CAS'],
  ]);
  setHandler(progressQuery, () => tracker.progress);

  tracker.start('read-status');
  const found = await steps.getCasStatus(target);
  tracker.observe(found.status);
  const provisioned = found.status?.provisioned === 'Yes';
  tracker.finish('read-status', found.exists ? summariseCasStatus(found.status) : 'no such CAS');
  if (!provisioned) {
    tracker.complete();
    const reason = found.exists ? 'the CAS is not provisioned' : 'no such CAS';
    return { exists: found.exists, provisioned: false, attestable: false, reason, status: found.status };
  }

  tracker.start('find-cas');
  const deadlineAt = Date.now() + FIND_DEADLINE_MS;
  const waits = proxyActivities<Activities>(waitOptions(deadlineAt, Date.now()));
  const endpoint = await waits.waitForCasPod({ ...target, deadlineAt, recordEvent: false });
  const { keyHash } = await waits.readCasKeyHash({ ...target, deadlineAt });
  const address = casServiceAddress(input.namespace, input.name, endpoint.clientPort);
  tracker.finish('find-cas', address);

  tracker.start('attest');
  const verified = await steps.verifyCasAttestation({
    ...target,
    address,
    keyHash,
    acceptFlags: input.acceptFlags,
    printPublicKeys: input.printPublicKeys,
  });
  tracker.finish('attest', verified.attestable ? 'attestable' : `not attestable: ${verified.reason}`);
  tracker.complete();
  return {
    exists: true,
    provisioned: true,
    attestable: verified.attestable,
    reason: verified.reason,
    keys: verified.keys,
    status: found.status,
  };
}
