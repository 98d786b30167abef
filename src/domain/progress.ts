// What a running operation reports through its progress query; the CLI renders it.
import type { CasStatus } from './cas-status.ts';

export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

export interface StepProgress {
  name: string;
  title: string;
  state: StepState;
  detail?: string;
}

export interface Progress {
  operation: string;
  namespace: string;
  name: string;
  /** running until the workflow returns; then completed or failed. */
  phase: 'running' | 'completed' | 'failed';
  /** Name of the current (or last) step. */
  step: string;
  steps: StepProgress[];
  /** Last CAS status the workflow observed. */
  lastStatus?: CasStatus;
  /** Set when the phase is failed. */
  failure?: string;
}

/** Tracks step states; pure so workflows and tests share it. */
export class ProgressTracker {
  readonly progress: Progress;

  constructor(operation: string, namespace: string, name: string, steps: ReadonlyArray<[string, string]>) {
    this.progress = {
      operation,
      namespace,
      name,
      phase: 'running',
      step: steps[0]?.[0] ?? '',
      steps: steps.map(([stepName, title]) => ({ name: stepName, title, state: 'pending' })),
    };
  }

  private find(step: string): StepProgress {
    const found = this.progress.steps.find((s) => s.name === step);
    if (!found) throw new Error(`Unknown progress step "${step}"`);
    return found;
  }

  start(step: string, detail?: string): void {
    const entry = this.find(step);
    entry.state = 'running';
    entry.detail = detail;
    this.progress.step = step;
  }

  finish(step: string, detail?: string, state: 'done' | 'skipped' = 'done'): void {
    const entry = this.find(step);
    entry.state = state;
    if (detail !== undefined) entry.detail = detail;
  }

  observe(status: CasStatus | undefined): void {
    if (status) this.progress.lastStatus = status;
  }

  fail(message: string): void {
    const current = this.progress.steps.find((s) => s.state === 'running');
    if (current) current.state = 'failed';
    this.progress.phase = 'failed';
    this.progress.failure = message;
  }

  complete(): void {
    for (const step of this.progress.steps) if (step.state === 'pending') step.state = 'skipped';
    this.progress.phase = 'completed';
  }
}
