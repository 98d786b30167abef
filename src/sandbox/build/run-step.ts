// Runs one build command without a shell, appending its output to the build log and keeping the
// last lines in memory so a failure can show them.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { BinaryBuildError } from './errors.ts';

const tailLines = 25;

export interface BuildStep {
  binary: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env?: Record<string, string>;
  logFile: string;
}

/** Resolves when the command exits 0; otherwise rejects with a BinaryBuildError. */
export async function runStep(step: BuildStep): Promise<void> {
  const shown = [step.command, ...step.args].join(' ');
  const log = createWriteStream(step.logFile, { flags: 'a' });
  const tail: string[] = [];
  log.write(`\n$ ${shown}   (in ${step.cwd})\n`);

  const child = spawn(step.command, step.args, {
    cwd: step.cwd,
    env: { ...process.env, ...step.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    log.write(chunk);
    tail.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    tail.splice(0, Math.max(0, tail.length - tailLines));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  })
    .catch((err: unknown) => {
      throw new BinaryBuildError(step.binary, shown, null, step.logFile, String(err), { cause: err });
    })
    .finally(() => new Promise((done) => log.end(done)));

  if (code !== 0) throw new BinaryBuildError(step.binary, shown, code, step.logFile, tail.join('\n'));
}
