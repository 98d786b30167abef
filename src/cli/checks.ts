// The read-only checks --is-provisioned, --verify and --print-public-keys, each a short workflow.
// They use fixed ids with USE_EXISTING: a second identical check attaches to one in flight instead
// of piling up runs; --print-public-keys has its own id because its arguments differ from --verify's.
import type { z } from 'zod';
import { CasStatusInput, VerifyCasInput } from '../domain/cas-checks.ts';
import { summariseCasStatus } from '../domain/cas-status.ts';
import { casWorkflowId } from '../domain/names.ts';
import { parseInput } from '../domain/validation.ts';
import { acceptFlagsFrom } from './build-input.ts';
import { CasStatusResult, VerifyCasResult } from './check-results.ts';
import { CliError, ExitCode } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { exportLines } from './export-lines.ts';
import { followWorkflow } from './follow.ts';
import { reportFailure, reportInterrupted } from './follow-outcome.ts';
import type { CliRequest } from './request.ts';
import type { TemporalConfig } from './temporal-config.ts';

interface CheckSpec<S extends z.ZodType> {
  workflowType: string;
  workflowId: string;
  operation: string;
  args: unknown[];
  schema: S;
  report(result: z.output<S>): number;
}

function statusCheck(request: CliRequest, ctx: CliContext): CheckSpec<typeof CasStatusResult> {
  const { name, namespace } = request;
  return {
    workflowType: 'casStatus',
    workflowId: casWorkflowId(namespace, name, 'status'),
    operation: 'status',
    args: [parseInput(CasStatusInput, { name, namespace }, 'casStatus input')],
    schema: CasStatusResult,
    report(result) {
      ctx.out.detail(result.exists === false ? 'no such CAS' : `CAS status: ${summariseCasStatus(result.status)}`);
      if (ctx.out.format === 'text') ctx.out.result(result.provisioned ? 'YES' : 'NO');
      return result.provisioned ? ExitCode.ok : ExitCode.failed;
    },
  };
}

function verifyCheck(
  request: CliRequest,
  ctx: CliContext,
  printPublicKeys: boolean,
): CheckSpec<typeof VerifyCasResult> {
  const { name, namespace } = request;
  const acceptFlags = acceptFlagsFrom(request, ctx.io.env);
  const input = { name, namespace, printPublicKeys, ...(acceptFlags ? { acceptFlags } : {}) };
  const id = casWorkflowId(namespace, name, 'verify');
  const cas = `CAS '${name}' in namespace '${namespace}'`;
  return {
    workflowType: 'verifyCas',
    workflowId: printPublicKeys ? `${id}/public-keys` : id,
    operation: 'verify',
    args: [parseInput(VerifyCasInput, input, 'verifyCas input')],
    schema: VerifyCasResult,
    report(result) {
      const out = ctx.out;
      if (printPublicKeys && result.keys) {
        if (out.format === 'text') for (const line of exportLines(result.keys)) out.result(line);
        return ExitCode.ok;
      }
      const problem =
        result.exists === false
          ? 'does not exist.'
          : !result.provisioned
            ? 'is not provisioned.'
            : !result.attestable
              ? `is not attestable${result.reason ? `: ${result.reason}` : '.'}`
              : printPublicKeys
                ? 'is attestable, but the workflow returned no keys.'
                : undefined;
      if (problem) {
        out.error(`${cas} ${problem}`);
        return ExitCode.failed;
      }
      if (out.format === 'text') out.result(`${cas} is attestable and provisioned.`);
      return ExitCode.ok;
    },
  };
}

async function runSpec<S extends z.ZodType>(
  request: CliRequest,
  config: TemporalConfig,
  ctx: CliContext,
  spec: CheckSpec<S>,
): Promise<number> {
  const temporal = await ctx.services.connectTemporal(config);
  try {
    const { handle } = await temporal.start({
      workflowType: spec.workflowType,
      workflowId: spec.workflowId,
      args: spec.args,
      target: { namespace: request.namespace, name: request.name, operation: spec.operation },
    });
    ctx.out.detail(`workflow ${spec.workflowId}`);
    const outcome = await followWorkflow<unknown>({ temporal, handle, signal: ctx.io.signal });
    if (outcome.kind === 'interrupted') return reportInterrupted(ctx.out, spec.workflowId);
    if (outcome.kind === 'failed') return reportFailure(ctx.out, spec.workflowId, outcome.error);

    const parsed = spec.schema.safeParse(outcome.result);
    if (!parsed.success) {
      throw new CliError(
        `Workflow ${spec.workflowId} returned an unexpected result: ${JSON.stringify(outcome.result)}`,
      );
    }
    if (ctx.out.format === 'json') ctx.out.json({ type: 'result', workflowId: spec.workflowId, result: parsed.data });
    return spec.report(parsed.data);
  } finally {
    await temporal.close();
  }
}

export function runCheck(request: CliRequest, config: TemporalConfig, ctx: CliContext): Promise<number> {
  switch (request.mode) {
    case 'is-provisioned':
      return runSpec(request, config, ctx, statusCheck(request, ctx));
    case 'verify':
      return runSpec(request, config, ctx, verifyCheck(request, ctx, false));
    case 'print-public-keys':
      return runSpec(request, config, ctx, verifyCheck(request, ctx, true));
    default:
      throw new Error(`runCheck called for mode ${request.mode}`);
  }
}
