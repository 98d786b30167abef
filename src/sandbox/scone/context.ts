import type { CasCall } from './cas-client.ts';

/** What a command needs from its surroundings; tests may pass their own. */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  /** Writes to stdout. */
  out: (text: string) => void;
  call: CasCall;
}
