// Waits for a condition on one Kubernetes object by watching it, never by polling:
// list (which gives a resourceVersion), then watch from that version; on 410 Gone or a dropped
// stream, list again. Ends when `done` says so, when the deadline passes, or on cancellation.
import type { KubeClients } from './clients.ts';

export interface WatchUntilOptions<T> {
  kube: KubeClients;
  /** Collection path, e.g. /api/v1/namespaces/ns/pods. */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** Lists the collection with the same selectors; returns the items and the list's resourceVersion. */
  list: () => Promise<{ items: T[]; resourceVersion: string }>;
  /** Inspects the current items; a value other than undefined ends the wait with that value. */
  check: (items: T[]) => unknown;
  /** Epoch milliseconds after which the wait fails. */
  deadlineAt: number;
  signal?: AbortSignal;
  /** Called on every observation (for heartbeats and progress). */
  onObserve?: (items: T[]) => void;
  /** Restart the watch at least this often, even if the stream looks healthy; default 30 s. */
  rewatchAfterMs?: number;
}

const RELIST_PAUSE_MS = 250;
const MAX_RELIST_PAUSE_MS = 8_000;

export class WatchDeadlineError extends Error {
  override readonly name = 'WatchDeadlineError';
}

export class WatchRefusedError extends Error {
  override readonly name = 'WatchRefusedError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class WatchAbortedError extends Error {
  override readonly name = 'WatchAbortedError';
}

interface Named {
  metadata?: { name?: string; uid?: string };
}

/** Resolves with what `check` returned, once it returns something. */
export async function watchUntil<T extends Named, R>(options: WatchUntilOptions<T>): Promise<R> {
  const { kube, path, signal, deadlineAt } = options;
  const rewatchAfterMs = options.rewatchAfterMs ?? 30_000;
  let pauseMs = RELIST_PAUSE_MS;

  while (true) {
    if (signal?.aborted) throw new WatchAbortedError('The wait was cancelled');
    if (Date.now() >= deadlineAt) throw new WatchDeadlineError('Deadline passed');

    const listed = await options.list();
    const items = new Map<string, T>();
    for (const item of listed.items) items.set(keyOf(item), item);
    options.onObserve?.(listed.items);
    const initial = options.check(listed.items);
    if (initial !== undefined) return initial as R;

    let delivered = false;
    const outcome = await new Promise<{ result?: unknown; relist: boolean; error?: unknown; planned?: boolean }>(
      (resolve) => {
        let settled = false;
        let controller: AbortController | undefined;
        const finish = (value: { result?: unknown; relist: boolean; error?: unknown; planned?: boolean }) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadlineTimer);
          clearTimeout(rewatchTimer);
          signal?.removeEventListener('abort', onAbort);
          controller?.abort();
          resolve(value);
        };
        const onAbort = () => finish({ relist: false, error: new WatchAbortedError('The wait was cancelled') });
        const deadlineTimer = setTimeout(
          () => finish({ relist: false, error: new WatchDeadlineError('Deadline passed') }),
          Math.max(0, deadlineAt - Date.now()),
        );
        const rewatchTimer = setTimeout(() => finish({ relist: true, planned: true }), rewatchAfterMs);
        signal?.addEventListener('abort', onAbort, { once: true });

        kube.watch
          .watch(
            path,
            {
              resourceVersion: listed.resourceVersion,
              allowWatchBookmarks: true,
              fieldSelector: options.fieldSelector,
              labelSelector: options.labelSelector,
            },
            (type: string, object: T) => {
              delivered = true;
              if (type === 'BOOKMARK') return;
              if (type === 'ERROR') return finish({ relist: true }); // 410 Gone arrives as an ERROR event
              if (type === 'DELETED') items.delete(keyOf(object));
              else items.set(keyOf(object), object);
              const current = [...items.values()];
              try {
                options.onObserve?.(current);
                const result = options.check(current);
                if (result !== undefined) finish({ result, relist: false });
              } catch (error) {
                finish({ relist: false, error }); // check() may refuse to go on (a fault phase, say)
              }
            },
            // Stream closed or failed: list again, unless the server refuses the watch for good.
            (error: unknown) => finish(refusal(error) ?? { relist: true }),
          )
          .then((c) => {
            controller = c;
            if (settled) c.abort();
          })
          .catch((error: unknown) => finish(refusal(error) ?? { relist: true }));
      },
    );

    if (outcome.error) throw outcome.error;
    if (outcome.result !== undefined) return outcome.result as R;
    if (outcome.planned) continue; // our own periodic restart: list again at once
    // A stream that drops at once (API server restarting) must not turn into a tight list loop:
    // the pause doubles while watches end on their own without delivering anything.
    pauseMs = delivered ? RELIST_PAUSE_MS : Math.min(pauseMs * 2, MAX_RELIST_PAUSE_MS);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, Math.max(0, deadlineAt - Date.now()))));
  }
}

/** 401 and 403 on the watch itself will not go away by retrying (RBAC lacks "watch", say). */
function refusal(error: unknown): { relist: false; error: WatchRefusedError } | undefined {
  const status =
    (error as { statusCode?: unknown; code?: unknown } | undefined)?.statusCode ?? (error as { code?: unknown })?.code;
  if (status !== 401 && status !== 403) return undefined;
  return { relist: false, error: new WatchRefusedError(`The API server refused the watch (HTTP ${status})`, status) };
}

function keyOf(item: Named): string {
  return item.metadata?.uid ?? item.metadata?.name ?? '';
}
