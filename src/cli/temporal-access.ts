// The Temporal calls the CLI makes: is a workflow running, start-or-attach, and the connection for
// following it. Kept behind one small interface so tests and the lead's integration code can swap it.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../temporal/codec.ts';
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

export interface StartOutcome {
  handle: WorkflowHandle;
  /** False when a run with this id was already running and this call attached to it. */
  started: boolean;
}

export interface TemporalAccess {
  readonly config: TemporalConfig;
  /** True when an execution with this id is running now. */
  isRunning(workflowId: string): Promise<boolean>;
  /** A handle on the latest run of a workflow id. */
  handle(workflowId: string): WorkflowHandle;
  /** Starts the workflow, or returns the running one with the same id; `started` says which happened. */
  start(request: StartRequest): Promise<StartOutcome>;
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
  // Same keys as the worker, so inputs, results and progress queries decode on both sides.
  const codec = config.codecKeys ? await AesGcmPayloadCodec.create(config.codecKeys) : undefined;
  const client = new Client({
    connection,
    namespace: config.namespace,
    dataConverter: codec ? { payloadCodecs: [codec] } : undefined,
  });

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

    handle: (workflowId) => client.workflow.getHandle(workflowId),

    async start(request) {
      try {
        // FAIL rather than USE_EXISTING: the server then tells us whether this call started the run,
        // which decides who owns the staged input Secret when two CLIs race.
        const handle = await client.workflow.start(request.workflowType, {
          taskQueue: config.taskQueue,
          workflowId: request.workflowId,
          args: request.args,
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: searchAttributesOf(request.target),
        });
        return { handle, started: true };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          return { handle: client.workflow.getHandle(request.workflowId), started: false };
        }
        throw new CliError(`Cannot start workflow ${request.workflowId}: ${innermost(error)}`, undefined, undefined, {
          cause: error,
        });
      }
    },

    withAbortSignal: (signal, fn) => connection.withAbortSignal(signal, fn),

    close: () => connection.close(),
  };
}
