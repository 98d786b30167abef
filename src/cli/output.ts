// Where the CLI writes: results (outcome, YES/NO, export lines, JSON) on stdout; progress, notes,
// warnings and errors on stderr, so `eval "$(casflow provision cas x --print-public-keys)"` works.
import type { OutputFormat } from './request.ts';

export type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export class Output {
  constructor(
    readonly stdout: OutStream,
    readonly stderr: OutStream,
    readonly format: OutputFormat,
    readonly verbose: boolean,
  ) {}

  /** A result line (text mode). */
  result(line: string): void {
    this.stdout.write(`${line}\n`);
  }

  /** One JSON object per line (json mode). */
  json(value: Record<string, unknown>): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  note(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  /** Only with --verbose. */
  detail(line: string): void {
    if (this.verbose) this.stderr.write(`- ${line}\n`);
  }

  warn(line: string): void {
    this.stderr.write(`Warning: ${line}\n`);
  }

  error(message: string, hint?: string): void {
    this.stderr.write(`Error: ${message}\n${hint ? `${hint}\n` : ''}`);
  }
}
