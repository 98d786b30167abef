// The pino logger the stand-ins (operator, kubelet, nodes) log through.
// Sandbox processes share stdout with test output, so the default level is `warn`
// unless CASFLOW_LOG_LEVEL asks for more.
import { pino, type Logger } from 'pino';

export type { Logger };

let root: Logger | undefined;

/** A child logger for one stand-in; `component` is bound once ("operator stand-in", ...). */
export function standInLogger(component: string, parent?: Logger): Logger {
  root ??= pino({ level: process.env.CASFLOW_LOG_LEVEL ?? 'warn' });
  return (parent ?? root).child({ component });
}
