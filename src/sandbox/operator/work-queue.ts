// A keyed work queue in the style of client-go's: one reconcile per key at a time, events arriving
// during a reconcile coalesce into one rerun, and a reconcile may ask to run again after a delay.

/** Reconciles one key; returns ms until it wants to run again, or undefined when at rest. */
export type Reconcile = (key: string) => Promise<number | undefined>;

export class KeyedQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly reconcile: Reconcile,
    private readonly onError: (key: string, err: unknown, failures: number) => void,
  ) {}

  /** Schedules `key` now, or after `afterMs` (the earliest pending time wins). */
  add(key: string, afterMs = 0): void {
    if (this.stopped) return;
    if (afterMs > 0) return this.schedule(key, afterMs);
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.start(key);
  }

  /** Cancels all timers and waits for the reconciles in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private schedule(key: string, afterMs: number): void {
    const at = Date.now() + afterMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, afterMs);
    this.timers.set(key, { at, timer });
  }

  private start(key: string): void {
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending.timer);
    this.timers.delete(key);
    this.running.set(key, this.runOnce(key));
  }

  private async runOnce(key: string): Promise<void> {
    let again: number | undefined;
    try {
      again = await this.reconcile(key);
      this.failures.delete(key);
    } catch (err) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.onError(key, err, failures);
      again = Math.min(100 * 2 ** failures, 5000);
    }
    this.running.delete(key);
    if (this.stopped) return;
    if (this.dirty.delete(key)) this.add(key);
    else if (again !== undefined) this.add(key, again);
  }
}
