// The operator stand-in: a controller on the real API server that does for CAS resources what the
// SCONE operator does (see status-plan.ts for the status machine, owned-objects.ts for the objects).
// Steps of startOperator:
//   1. watch CAS resources in all namespaces (list+watch, relist on 410 Gone or a dropped stream);
//   2. watch Nodes (taints, never-registers annotations) and CAS pods (deleted pods come back);
//   3. watch Namespaces: a changed fault or time-scale annotation requeues every CAS in it;
//   4. follow the CAS registry, so setting an owner moves the CAS on to Provisioned;
//   5. resolve once the first CAS list has been queued.
// stop() aborts the watches, cancels every pending delay and waits for reconciles in flight.
import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { standInLogger } from '../stand-in-log.ts';
import { CAS_REF, type CasObject } from './cas-resource.ts';
import { briefError } from './kube-errors.ts';
import { CasReconciler } from './reconcile-cas.ts';
import type { CasRegistryPort } from './registry-port.ts';
import { watchNamespaceKnobs } from './watch-namespace-knobs.ts';
import { runResourceWatch, type WatchedObject } from './watch-resource.ts';
import { KeyedQueue } from './work-queue.ts';

export interface OperatorOptions {
  kc: KubeConfig;
  registry: CasRegistryPort;
  /** Delay of one status step (default 300 ms). */
  phaseDelayMs?: number;
  /** Multiplies every delay, before the CAS's own time-scale annotation (default 1). */
  timeScale?: number;
  log?: Logger;
}

export interface Operator {
  stop(): Promise<void>;
}

const keyOf = (o: WatchedObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;

/** Starts the controller; resolves when the existing CAS resources are queued. */
export async function startOperator(opts: OperatorOptions): Promise<Operator> {
  const log = opts.log ?? standInLogger('operator stand-in');
  const phaseDelayMs = (opts.phaseDelayMs ?? 300) * (opts.timeScale ?? 1);
  const reconciler = new CasReconciler({ kc: opts.kc, registry: opts.registry, phaseDelayMs, log });
  const queue = new KeyedQueue(
    (key) => reconciler.reconcile(key),
    (key, err, failures) =>
      log.warn({ err: briefError(err), cas: key, failures }, 'operator stand-in: reconcile failed, retrying'),
  );
  const aborter = new AbortController();
  const { signal } = aborter;
  const custom = opts.kc.makeApiClient(CustomObjectsApi);
  const core = opts.kc.makeApiClient(CoreV1Api);
  const requeueAll = () => reconciler.knownKeys().forEach((k) => queue.add(k));
  const requeueNamespace = (ns: string) =>
    reconciler
      .knownKeys()
      .filter((k) => k.startsWith(`${ns}/`))
      .forEach((k) => queue.add(k));

  let casListed!: () => void;
  const firstList = new Promise<void>((resolve) => (casListed = resolve));
  const watches = [
    runResourceWatch<CasObject>(
      {
        kc: opts.kc,
        path: `/apis/${CAS_REF.group}/${CAS_REF.version}/${CAS_REF.plural}`,
        list: () => custom.listCustomObjectForAllNamespaces(CAS_REF),
        // Known keys missing from a relist were deleted while no watch ran; reconciling cleans them up.
        onSync: (items) => [...reconciler.knownKeys(), ...items.map(keyOf)].forEach((k) => queue.add(k)),
        onEvent: (_type, cas) => queue.add(keyOf(cas)),
        signal,
        log,
      },
      () => casListed(),
    ),
    runResourceWatch<V1Node>({
      kc: opts.kc,
      path: '/api/v1/nodes',
      list: () => core.listNode(),
      onSync: requeueAll,
      onEvent: requeueAll,
      signal,
      log,
    }),
    runResourceWatch<V1Pod>({
      kc: opts.kc,
      path: '/api/v1/pods',
      labelSelector: 'app.kubernetes.io/name=cas',
      list: () => core.listPodForAllNamespaces({ labelSelector: 'app.kubernetes.io/name=cas' }),
      onSync: () => {},
      onEvent: (type, pod) => {
        const instance = pod.metadata?.labels?.['app.kubernetes.io/instance'];
        if (type === 'DELETED' && instance) queue.add(`${pod.metadata?.namespace}/${instance}`);
      },
      signal,
      log,
    }),
    watchNamespaceKnobs({ kc: opts.kc, onChange: requeueNamespace, signal, log }),
  ];
  opts.registry.on('changed', (s) => queue.add(`${s.namespace}/${s.name}`));

  await Promise.race([firstList, Promise.all(watches)]);
  log.info({ phaseDelayMs }, 'operator stand-in: watching CAS resources');
  return {
    stop: async () => {
      aborter.abort();
      await Promise.all(watches);
      await queue.stop();
      log.info({}, 'operator stand-in: stopped');
    },
  };
}
