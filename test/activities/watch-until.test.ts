// watchUntil on the real API server: it lists, watches from the list's resourceVersion, and lists
// again when the watch ends (an ERROR event such as 410 Gone, or a dropped stream).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { useTestServers, kubeConfigFor, type TestServers } from '../../src/sandbox/servers/index.ts';
import { createKubeClients, type KubeClients } from '../../activities/kube/clients.ts';
import { watchUntil, WatchDeadlineError, WatchAbortedError } from '../../activities/kube/watch-until.ts';

const NS = 'watch-until';
let servers: TestServers;
let kube: KubeClients;
let core: CoreV1Api;

before(async () => {
  servers = await useTestServers();
  kube = createKubeClients(kubeConfigFor(servers.kube));
  core = kube.core;
  await core.createNamespace({ body: { metadata: { name: NS } } });
});

after(async () => {
  await servers?.stop();
});

const path = `/api/v1/namespaces/${NS}/configmaps`;

function options(name: string, overrides: { firstVersion?: string; rewatchAfterMs?: number; deadlineMs?: number }) {
  const lists: string[] = [];
  return {
    lists,
    run: (signal?: AbortSignal) =>
      watchUntil<V1ConfigMap, string>({
        kube,
        path,
        fieldSelector: `metadata.name=${name}`,
        deadlineAt: Date.now() + (overrides.deadlineMs ?? 20_000),
        rewatchAfterMs: overrides.rewatchAfterMs,
        signal,
        list: async () => {
          const list = await core.listNamespacedConfigMap({ namespace: NS, fieldSelector: `metadata.name=${name}` });
          // The first list may pretend to be older than the server remembers, to provoke 410 Gone.
          const version =
            lists.length === 0 && overrides.firstVersion ? overrides.firstVersion : list.metadata!.resourceVersion!;
          lists.push(version);
          return { items: list.items, resourceVersion: version };
        },
        check: (items) => (items[0]?.data?.state === 'done' ? items[0].data.state : undefined),
      }),
  };
}

test('watchUntil sees a change made after it started watching', async () => {
  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'a' }, data: { state: 'new' } } });
  const { run, lists } = options('a', {});
  const waiting = run();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await core.replaceNamespacedConfigMap({
    name: 'a',
    namespace: NS,
    body: { metadata: { name: 'a' }, data: { state: 'done' } },
  });
  assert.equal(await waiting, 'done');
  assert.equal(lists.length, 1, 'one list, then the watch delivered the change');
});

test('watchUntil replaces a watch that delivers nothing with a new list and watch', async () => {
  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'b' }, data: { state: 'new' } } });
  // A version from the future: the server holds that watch open without delivering anything. Only
  // the periodic re-list gets the change through (a 410 Gone, which a fresh etcd cannot be made to
  // produce on demand, ends the watch at once and takes the same re-list path).
  const { run, lists } = options('b', { firstVersion: '999999999', rewatchAfterMs: 2_000 });
  const waiting = run();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await core.replaceNamespacedConfigMap({
    name: 'b',
    namespace: NS,
    body: { metadata: { name: 'b' }, data: { state: 'done' } },
  });
  assert.equal(await waiting, 'done');
  assert.ok(lists.length >= 2, `listed again after the expired version (lists: ${lists.join(', ')})`);
  assert.equal(lists[0], '999999999');
});

test('watchUntil survives streams that end early and fails at its deadline when nothing happens', async () => {
  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'c' }, data: { state: 'new' } } });
  const { run, lists } = options('c', { rewatchAfterMs: 200, deadlineMs: 1500 });
  await assert.rejects(run(), WatchDeadlineError);
  assert.ok(lists.length >= 3, `re-listed after each ended stream (lists: ${lists.length})`);
});

test('watchUntil stops at once when cancelled', async () => {
  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'd' }, data: { state: 'new' } } });
  const controller = new AbortController();
  const { run } = options('d', {});
  const waiting = run(controller.signal);
  setTimeout(() => controller.abort(), 200);
  const started = Date.now();
  await assert.rejects(waiting, WatchAbortedError);
  assert.ok(Date.now() - started < 5_000);
});
