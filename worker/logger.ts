// The one pino logger of the worker process. Secret-looking fields are redacted wherever they sit.
import { pino, type DestinationStream, type Logger } from 'pino';

const REDACT = [
  'token',
  'dcapKey',
  'ownerIdentity',
  'identity',
  'ownerConfig',
  'password',
  '*.token',
  '*.dcapKey',
  '*.ownerIdentity',
  '*.identity',
  '*.ownerConfig',
  '*.password',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'casflow-worker' }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
