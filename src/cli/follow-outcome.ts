// What the CLI says when following ends without a result: the workflow failed, the connection to
// Temporal was lost, or the operator pressed Ctrl-C (the workflow keeps running in both latter cases).
import { WorkflowFailedError } from '@temporalio/client';
import { ExitCode } from './cli-error.ts';
import { rootCauseMessage, rootCauseType } from './failure-message.ts';
import type { Output } from './output.ts';

export function reportInterrupted(out: Output, workflowId: string): number {
  if (out.format === 'json') out.json({ type: 'detached', workflowId });
  out.note(`Stopped following; workflow ${workflowId} keeps running (it was not cancelled).`);
  out.note(`Run the same command again to re-attach, or: temporal workflow describe --workflow-id ${workflowId}`);
  return ExitCode.interrupted;
}

export function reportFailure(out: Output, workflowId: string, error: unknown): number {
  if (!(error instanceof WorkflowFailedError)) {
    // gRPC appends an empty "Resolution note:" to some connection errors; it tells the user nothing.
    const cause = rootCauseMessage(error).replace(/\s*Resolution note:\s*$/, '');
    const message = `Lost contact with Temporal while following workflow ${workflowId}: ${cause}`;
    if (out.format === 'json') out.json({ type: 'error', workflowId, message });
    out.error(message, 'The workflow keeps running; run the same command again to re-attach.');
    return ExitCode.failed;
  }

  const message = rootCauseMessage(error);
  const type = rootCauseType(error);
  if (out.format === 'json') out.json({ type: 'failure', workflowId, message, ...(type ? { failureType: type } : {}) });
  out.error(message, `Workflow ${workflowId} failed; details: temporal workflow show --workflow-id ${workflowId}`);
  if (type) out.detail(`failure type: ${type}`);
  return ExitCode.failed;
}
