// Step 2 of `provision cas NAME` (step 1 is provision-plan.ts): store the sensitive inputs in a
// Secret, start (or attach to) the provisionCas workflow and follow it to its result.
import { summariseCasStatus } from '../domain/cas-status.ts';
import { casWorkflowId } from '../domain/names.ts';
import type { ProvisionCasParams } from '../domain/provision-cas.ts';
import { ProvisionResult } from './check-results.ts';
import { ExitCode } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { exportLines } from './export-lines.ts';
import { followWorkflow } from './follow.ts';
import { reportFailure, reportInterrupted } from './follow-outcome.ts';
import { progressView } from './progress-view.ts';
import type { ProvisionPlan } from './provision-plan.ts';
import type { TemporalAccess } from './temporal-access.ts';
import type { WorkflowHandle } from '@temporalio/client';

/**
 * Attaches to a running provisioning untouched, or runs `prepare` (namespace check, Secret) and
 * starts. Losing a start race to another CLI turns into attaching, after `discard` removed what
 * `prepare` staged.
 */
async function startOrAttach(
  ctx: CliContext,
  temporal: TemporalAccess,
  input: ProvisionCasParams,
  prepare: () => Promise<void>,
  discard: () => Promise<void>,
) {
  const workflowId = casWorkflowId(input.namespace, input.name, 'provision');
  const attach = (handle: WorkflowHandle) => {
    ctx.out.note(`Note: attached to running workflow ${workflowId}; it keeps the options it was started with.`);
    return { handle, workflowId };
  };
  if (await temporal.isRunning(workflowId)) return attach(temporal.handle(workflowId));

  await prepare();
  let outcome;
  try {
    outcome = await temporal.start({
      workflowType: 'provisionCas',
      workflowId,
      args: [input],
      target: { namespace: input.namespace, name: input.name, operation: 'provision' },
    });
  } catch (error) {
    // No workflow will ever delete what prepare() staged: the DCAP key must not stay behind.
    await discard().catch(() => undefined);
    throw error;
  }
  const { handle, started } = outcome;
  if (!started) {
    await discard();
    return attach(handle);
  }
  ctx.out.note(`Started workflow ${workflowId}`);
  return { handle, workflowId };
}

function reportResult(ctx: CliContext, workflowId: string, value: unknown): number {
  const out = ctx.out;
  const parsed = ProvisionResult.safeParse(value);
  if (out.format === 'json') {
    out.json({ type: 'result', workflowId, result: value });
    return ExitCode.ok;
  }
  if (!parsed.success) {
    out.warn(`unexpected result shape from workflow ${workflowId}; printing it as JSON`);
    out.result(JSON.stringify(value));
    return ExitCode.ok;
  }

  const result = parsed.data;
  for (const warning of result.warnings) out.warn(warning);
  if (result.outcome === 'already-provisioned') {
    out.result(`The CAS ${result.name} in namespace ${result.namespace} is already provisioned. Nothing more to do.`);
  } else {
    out.result(`CAS ${result.name} in namespace ${result.namespace} is provisioned.`);
  }
  if (result.casAddress) out.detail(`CAS address ${result.casAddress}`);
  if (result.ownerIdentity) out.detail(`owner identity kept in ${result.ownerIdentity}`);
  if (result.dcapKeySource) out.detail(`DCAP key source: ${result.dcapKeySource}`);
  if (result.status) out.detail(`CAS status: ${summariseCasStatus(result.status)}`);
  if (result.keys) for (const line of exportLines(result.keys)) out.result(line);
  return ExitCode.ok;
}

export async function runProvision(plan: ProvisionPlan, ctx: CliContext): Promise<number> {
  const { io, out } = ctx;
  const { input, request } = plan;

  // Attach to a running provisioning, or check the namespace, write the Secret, start.
  const temporal = await ctx.services.connectTemporal(plan.temporal);
  try {
    const secret = input.secrets?.secretName;
    const kube = () => ctx.services.kubeAccess(plan.kubeConfig);
    const prepare = async () => {
      const access = await kube();
      out.detail(`Kubernetes API ${access.server}`);
      await access.checkNamespace(input.namespace);
      if (secret) await access.writeInputSecret(input.namespace, secret, plan.secrets);
    };
    const discard = async () => {
      if (secret) await (await kube()).deleteInputSecret(input.namespace, secret);
    };
    const { handle, workflowId } = await startOrAttach(ctx, temporal, input, prepare, discard);
    if (request.detach) {
      if (out.format === 'json') out.json({ type: 'started', workflowId });
      else out.result(workflowId);
      return ExitCode.ok;
    }

    // Follow until the result, a failure, or Ctrl-C.
    const view = progressView(out.format, io.stdout, io.stderr);
    const outcome = await followWorkflow({
      temporal,
      handle,
      signal: io.signal,
      view,
      onQueryError: onceEach((message) => out.detail(`progress query: ${message}`)),
    });
    if (outcome.kind === 'interrupted') return reportInterrupted(out, workflowId);
    if (outcome.kind === 'failed') return reportFailure(out, workflowId, outcome.error);
    return reportResult(ctx, workflowId, outcome.result);
  } finally {
    await temporal.close();
  }
}

/** Reports each distinct query error once, not every 500 ms. */
function onceEach(report: (message: string) => void): (error: unknown) => void {
  let last = '';
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    if (message !== last) report(message);
    last = message;
  };
}
