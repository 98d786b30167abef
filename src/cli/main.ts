// Process entry of `casflow` (npm run casflow, bin/casflow.js) and `kubectl-provision`.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Program } from './help.ts';
import { runCli } from './run-cli.ts';

/** Runs the CLI for this process: the first Ctrl-C stops following, a second one exits at once. */
export async function main(argv: readonly string[], program: Program): Promise<never> {
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
  });

  const code = await runCli(argv, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    signal: interrupt.signal,
    program,
  });
  // Writes to pipes and files are synchronous on Linux, so exiting here loses no output.
  process.exit(code);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main(process.argv.slice(2), 'casflow');
