// Renders the workflow's progress query: a redrawn step list on a TTY, one line per step transition
// otherwise, or one JSON object per change with --output json.
import { summariseCasStatus } from '../domain/cas-status.ts';
import type { Progress, StepProgress, StepState } from '../domain/progress.ts';
import type { OutStream } from './output.ts';

export interface ProgressView {
  update(progress: Progress): void;
  /** Called once when following ends; leaves the last drawing in place. */
  finish(): void;
}

const ICON: Record<StepState, string> = { done: '✓', running: '▸', pending: '·', failed: '✗', skipped: '-' };

/** "[3/12] create-cas: done (created)" */
export function transitionLine(step: StepProgress, index: number, total: number): string {
  return `[${index + 1}/${total}] ${step.name}: ${step.state}${step.detail ? ` (${step.detail})` : ''}`;
}

/** The compact step list drawn on a terminal. */
export function stepListLines(progress: Progress): string[] {
  const lines = progress.steps.map(
    (step) => `${ICON[step.state]} ${step.title}${step.detail ? ` (${step.detail})` : ''}`,
  );
  lines.push(`  CAS status: ${summariseCasStatus(progress.lastStatus)}`);
  if (progress.failure) lines.push(`  failed: ${progress.failure}`);
  return lines;
}

class TtyView implements ProgressView {
  private drawn = 0;
  private last = '';

  constructor(private readonly stream: OutStream) {}

  update(progress: Progress): void {
    const width = Math.max((this.stream.columns ?? 120) - 1, 20);
    const lines = stepListLines(progress).map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    const text = lines.join('\n');
    if (text === this.last) return;
    // Move to the start of the previous drawing and clear everything below it.
    const rewind = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[J` : '';
    this.stream.write(`${rewind}${text}\n`);
    this.drawn = lines.length;
    this.last = text;
  }

  finish(): void {}
}

class PlainView implements ProgressView {
  private readonly states = new Map<string, StepState>();

  constructor(private readonly stream: OutStream) {}

  update(progress: Progress): void {
    progress.steps.forEach((step, index) => {
      if (this.states.get(step.name) === step.state) return;
      const first = !this.states.has(step.name);
      this.states.set(step.name, step.state);
      if (first && step.state === 'pending') return;
      this.stream.write(`${transitionLine(step, index, progress.steps.length)}\n`);
    });
  }

  finish(): void {}
}

class JsonView implements ProgressView {
  private last = '';

  constructor(private readonly stream: OutStream) {}

  update(progress: Progress): void {
    const text = JSON.stringify({ type: 'progress', progress });
    if (text === this.last) return;
    this.last = text;
    this.stream.write(`${text}\n`);
  }

  finish(): void {}
}

export function progressView(format: 'text' | 'json', stdout: OutStream, stderr: OutStream): ProgressView {
  if (format === 'json') return new JsonView(stdout);
  return stderr.isTTY ? new TtyView(stderr) : new PlainView(stderr);
}
