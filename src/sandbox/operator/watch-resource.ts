// List-then-watch of one resource, the way an informer does it, until `signal` aborts.
// Steps, repeated:
//   1. list; hand every item to onSync (so deletions missed while not watching are noticed);
//   2. watch from the list's resourceVersion, remembering the newest version seen (bookmarks too);
//   3. when the stream ends, watch again from that version; on 410 Gone (version compacted) relist;
//      on any other failure back off (capped) and relist.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { sleep } from '../abortable.ts';
import { briefError } from './kube-errors.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchedObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface ResourceWatchOptions<T extends WatchedObject> {
  kc: KubeConfig;
  /** Collection path, e.g. `/api/v1/nodes` or `/apis/services.scone.cloud/v1beta1/cas`. */
  path: string;
  labelSelector?: string;
  list(): Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  onSync(items: T[]): void;
  onEvent(type: WatchEventType, obj: T): void;
  signal: AbortSignal;
  log: Logger;
}

type StreamEnd = 'closed' | 'gone' | 'failed';

/** Runs the list+watch loop; resolves when `signal` aborts. Calls `onReady` after the first list. */
export async function runResourceWatch<T extends WatchedObject>(
  opts: ResourceWatchOptions<T>,
  onReady: () => void = () => {},
): Promise<void> {
  let failures = 0;
  while (!opts.signal.aborted) {
    let version: string | undefined;
    try {
      const listed = await opts.list();
      version = listed.metadata?.resourceVersion;
      opts.onSync(listed.items);
      onReady();
    } catch (err) {
      if (opts.signal.aborted) return;
      failures += 1;
      opts.log.warn({ err: briefError(err), path: opts.path, failures }, 'operator stand-in: list failed, retrying');
      await sleep(backoffMs(failures), opts.signal);
      continue;
    }

    while (!opts.signal.aborted && version !== undefined) {
      const end = await watchOnce(opts, version, (v) => (version = v));
      if (end === 'gone') break;
      if (end === 'failed') {
        failures += 1;
        await sleep(backoffMs(failures), opts.signal);
        break;
      }
      failures = 0;
    }
  }
}

const backoffMs = (failures: number) => Math.min(200 * 2 ** (failures - 1), 5000);

function watchOnce<T extends WatchedObject>(
  opts: ResourceWatchOptions<T>,
  version: string,
  seen: (version: string) => void,
): Promise<StreamEnd> {
  return new Promise((resolve) => {
    let end: StreamEnd = 'closed';
    let controller: AbortController | undefined;
    const onAbort = () => controller?.abort();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (err: unknown) => {
      opts.signal.removeEventListener('abort', onAbort);
      const status = (err as { statusCode?: number } | null)?.statusCode;
      if (status === 410) end = 'gone';
      else if (err && !opts.signal.aborted && end === 'closed') {
        opts.log.warn({ err: briefError(err), path: opts.path }, 'operator stand-in: watch failed, relisting');
        end = 'failed';
      }
      resolve(end);
    };

    const query = {
      resourceVersion: version,
      allowWatchBookmarks: true,
      labelSelector: opts.labelSelector,
      // Ends the stream now and then so a silently dead connection cannot stall the controller.
      timeoutSeconds: 240 + Math.floor(Math.random() * 60),
    };
    const onLine = (type: string, obj: unknown) => {
      if (type === 'ERROR') {
        // The API server reports an expired resourceVersion inside a 200 stream as a Status object.
        end = (obj as { code?: number }).code === 410 ? 'gone' : 'failed';
        controller?.abort();
        return;
      }
      const rv = (obj as WatchedObject).metadata?.resourceVersion;
      if (rv) seen(rv);
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') opts.onEvent(type, obj as T);
    };

    new Watch(opts.kc)
      .watch(opts.path, query, onLine, finish)
      .then((c) => {
        controller = c;
        if (opts.signal.aborted) c.abort();
      })
      .catch(finish);
  });
}
