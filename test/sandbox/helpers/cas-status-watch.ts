// Records every status a CAS goes through, from a watch started before the test acts, so tests
// assert on the exact sequence the operator stand-in wrote instead of sleeping and sampling.
import { CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';

export type CasStatusDoc = Record<string, unknown> & {
  state?: string;
  phase?: string;
  provisioned?: string;
  attestable?: string;
  migrationNodeRatio?: string;
  migrationNodeAlert?: number;
  snapshotStatus?: string;
  version?: string;
  conditions?: { type: string; status: string; reason: string; observedGeneration: number }[];
};

export interface StatusEvent {
  /** ms since the recorder started, when the event arrived. */
  at: number;
  generation: number;
  status: CasStatusDoc;
}

const REF = { group: 'services.scone.cloud', version: 'v1beta1', plural: 'cas' } as const;

export class CasStatusRecorder {
  readonly history: StatusEvent[] = [];
  private cursor = 0;
  private readonly started = Date.now();
  private waiters: (() => void)[] = [];
  private controller?: AbortController;
  private failure?: unknown;

  private constructor(
    readonly namespace: string,
    readonly name: string,
  ) {}

  /** Starts watching CAS `name` in `namespace` (it need not exist yet). */
  static async start(kc: KubeConfig, namespace: string, name: string): Promise<CasStatusRecorder> {
    const recorder = new CasStatusRecorder(namespace, name);
    const list = await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ ...REF, namespace });
    const path = `/apis/${REF.group}/${REF.version}/namespaces/${namespace}/${REF.plural}`;
    const query = { resourceVersion: list.metadata.resourceVersion, fieldSelector: `metadata.name=${name}` };
    recorder.controller = await new Watch(kc).watch(
      path,
      query,
      (type, obj) => recorder.record(type, obj),
      (err) => recorder.fail(err ?? new Error('watch closed')),
    );
    return recorder;
  }

  /** Resolves with the first status at or after the cursor that satisfies `pred`, and moves the cursor past it. */
  async waitFor(
    what: string,
    pred: (s: CasStatusDoc, e: StatusEvent) => boolean,
    timeoutMs = 20_000,
  ): Promise<StatusEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.history.length; i++) {
        const event = this.history[i]!;
        if (pred(event.status, event)) {
          this.cursor = i + 1;
          return event;
        }
      }
      this.cursor = this.history.length;
      if (this.failure) throw new Error(`watch of CAS ${this.namespace}/${this.name} ended`, { cause: this.failure });
      const left = deadline - Date.now();
      if (left <= 0) {
        const last = JSON.stringify(this.history.at(-1)?.status ?? null);
        throw new Error(`CAS ${this.namespace}/${this.name} never reached ${what}; last status ${last}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The phases recorded so far with consecutive repeats collapsed. */
  phases(): string[] {
    return collapse(this.history.map((e) => e.status.phase ?? '-'));
  }

  /** The migrationNodeRatio values recorded so far, repeats collapsed. */
  ratios(): string[] {
    return collapse(this.history.map((e) => e.status.migrationNodeRatio ?? '-'));
  }

  stop(): void {
    this.controller?.abort();
  }

  private record(type: string, obj: { metadata?: { generation?: number }; status?: CasStatusDoc }): void {
    if (type !== 'ADDED' && type !== 'MODIFIED') return;
    // The creation event carries no status yet; only the operator's writes are recorded.
    if (!obj.status) return;
    const status = obj.status;
    const last = this.history.at(-1);
    if (last && JSON.stringify(last.status) === JSON.stringify(status)) return;
    this.history.push({ at: Date.now() - this.started, generation: obj.metadata?.generation ?? 0, status });
    this.wake();
  }

  private fail(err: unknown): void {
    if (this.controller?.signal.aborted) return;
    this.failure = err;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}

function collapse(values: string[]): string[] {
  return values.filter((v, i) => i === 0 || values[i - 1] !== v);
}
