// Waits, by watching, until one named object is gone.
import { Watch, type KubeConfig } from '@kubernetes/client-node';

interface Listed {
  items: unknown[];
  metadata?: { resourceVersion?: string };
}

/**
 * Resolves once `name` is absent from the collection at `path` (e.g. `/api/v1/namespaces/ns/pods`);
 * `list` must list that collection filtered by `metadata.name=<name>`.
 */
export async function waitDeleted(
  kc: KubeConfig,
  path: string,
  name: string,
  list: () => Promise<Listed>,
  timeoutMs = 15_000,
): Promise<void> {
  const listed = await list();
  if (listed.items.length === 0) return;

  let controller: AbortController | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${path}/${name} still exists after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (err?: unknown) => {
        clearTimeout(timer);
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve();
      };
      const query = { resourceVersion: listed.metadata?.resourceVersion, fieldSelector: `metadata.name=${name}` };
      new Watch(kc)
        .watch(
          path,
          query,
          (type) => type === 'DELETED' && done(),
          (err) => err && done(err),
        )
        .then((c) => (controller = c), done);
    });
  } finally {
    controller?.abort();
  }
}
