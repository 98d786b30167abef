// The Temporal calls the CLI makes: is a workflow running, start-or-attach, and the connection for
// following it. Kept behind one small interface so tests and the lead's integration code can swap it.
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { CliError } from './cli-error.ts';
import { searchAttributesOf, type WorkflowTarget } from './search-attributes.ts';
import type { TemporalConfig } from './temporal-config.ts';

const CONNECT_TIMEOUT_MS = 10_000;

export interface StartRequest {
  workflowType: string;
  workflowId: string;
  args: unknown[];
  target: WorkflowTarget;
}

export interface TemporalAccess {
  readonly config: TemporalConfig;
  /** True when an execution with this id is running now. */
  isRunning(workflowId: string): Promise<boolean>;
  /** Starts the workflow, or returns the running one with the same id (USE_EXISTING). */
  start(request: StartRequest): Promise<WorkflowHandleWithFirstExecutionRunId>;
  /** Runs `fn` so that its RPCs are cancelled when `signal` aborts. */
  withAbortSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The message of the innermost cause, which for gRPC errors names the actual problem. */
function innermost(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  let message = current?.message ?? String(error);
  while (current?.cause) {
    current = current.cause as { message?: string; cause?: unknown };
    if (current.message) message = current.message;
  }
  return message;
}

export async function connectTemporal(config: TemporalConfig): Promise<TemporalAccess> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: config.address,
      tls: config.tls,
      apiKey: config.apiKey,
      connectTimeout: CONNECT_TIMEOUT_MS,
    });
  } catch (error) {
    throw new CliError(
      `Cannot connect to Temporal at ${config.address} (CASFLOW_TEMPORAL_ADDRESS): ${innermost(error)}`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  const client = new Client({ connection, namespace: config.namespace });

  return {
    config,

    async isRunning(workflowId) {
      try {
        const description = await client.workflow.getHandle(workflowId).describe();
        return description.status.name === 'RUNNING';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw new CliError(`Cannot look up workflow ${workflowId}: ${innermost(error)}`, undefined, undefined, {
          cause: error,
        });
      }
    },

    async start(request) {
      try {
        return await client.workflow.start(request.workflowType, {
          taskQueue: config.taskQueue,
          workflowId: request.workflowId,
          args: request.args,
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: searchAttributesOf(request.target),
        });
      } catch (error) {
        throw new CliError(`Cannot start workflow ${request.workflowId}: ${innermost(error)}`, undefined, undefined, {
          cause: error,
        });
      }
    },

    withAbortSignal: (signal, fn) => connection.withAbortSignal(signal, fn),

    close: () => connection.close(),
  };
}
