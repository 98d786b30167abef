// The message an operator needs from a failed workflow: the root cause, not "Workflow execution failed".
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';

interface Link {
  message?: string;
  cause?: unknown;
}

function describe(link: unknown): string | undefined {
  if (link instanceof TimeoutFailure) return `${link.message || 'timed out'} (${link.timeoutType ?? 'timeout'})`;
  if (link instanceof TerminatedFailure) return `workflow was terminated${link.message ? `: ${link.message}` : ''}`;
  if (link instanceof CancelledFailure) return `workflow was cancelled${link.message ? `: ${link.message}` : ''}`;
  const message = (link as Link | undefined)?.message;
  return message ? message : undefined;
}

/** Walks WorkflowFailedError → ActivityFailure → ApplicationFailure ... and returns the deepest message. */
export function rootCauseMessage(error: unknown): string {
  let current: unknown = error instanceof WorkflowFailedError && error.cause ? error.cause : error;
  let message = describe(current) ?? String(error);
  const seen = new Set<unknown>();
  while ((current as Link | undefined)?.cause && !seen.has(current)) {
    seen.add(current);
    current = (current as Link).cause;
    message = describe(current) ?? message;
  }
  return message;
}

/** The failure type of the root cause (e.g. "InvalidInputError"), when it is an ApplicationFailure. */
export function rootCauseType(error: unknown): string | undefined {
  let current: unknown = error;
  let type: string | undefined;
  const seen = new Set<unknown>();
  while (current && !seen.has(current)) {
    seen.add(current);
    if (current instanceof ApplicationFailure && current.type) type = current.type;
    current = (current as Link).cause;
  }
  return type;
}
