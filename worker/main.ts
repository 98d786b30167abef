// casflow worker process: validate configuration, connect, run until SIGINT or SIGTERM.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { createLogger } from './logger.ts';
import { loadWorkerConfig, WorkerConfigError } from './config.ts';
import { createCasflowWorker } from './create-worker.ts';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

async function main(): Promise<number> {
  let config;
  try {
    config = loadWorkerConfig();
  } catch (error) {
    if (error instanceof WorkerConfigError) {
      process.stderr.write(`casflow worker: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(config.CASFLOW_LOG_LEVEL);

  // The SDK's own logs (and workflow `log` calls) go to the same pino logger. The Runtime also
  // turns SIGINT/SIGTERM into a graceful worker shutdown.
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      const { message, level, meta } = entry;
      logger[PINO_LEVEL[level]]({ sdk: meta }, message);
    }),
  });

  const casflow = await createCasflowWorker(config, logger);
  logger.info(
    {
      address: config.CASFLOW_TEMPORAL_ADDRESS,
      namespace: config.CASFLOW_TEMPORAL_NAMESPACE,
      taskQueue: config.CASFLOW_TASK_QUEUE,
      payloadEncryption: config.CASFLOW_CODEC_KEYS !== undefined,
    },
    'worker started',
  );
  await casflow.run();
  logger.info({}, 'worker stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`casflow worker failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
