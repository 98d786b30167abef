// Follows the fault and delay annotations on Namespaces (faults.ts), so adding, changing or removing
// one reaches the CAS resources of that Namespace at once instead of when a CAS next changes.
import { CoreV1Api, type KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { FAULT_ANNOTATION, TIME_SCALE_ANNOTATION } from './faults.ts';
import { runResourceWatch } from './watch-resource.ts';

export interface NamespaceKnobWatchOptions {
  kc: KubeConfig;
  /** Receives the name of a Namespace whose knob annotations changed (or were first seen). */
  onChange(namespace: string): void;
  signal: AbortSignal;
  log: Logger;
}

/** Runs the list+watch of Namespaces until `signal` aborts. */
export function watchNamespaceKnobs(opts: NamespaceKnobWatchOptions): Promise<void> {
  const core = opts.kc.makeApiClient(CoreV1Api);
  // Only the knobs count: Namespaces also change for labels, finalizers and their phase.
  const knobs = new Map<string, string>();
  const update = (ns: V1Namespace) => {
    const name = ns.metadata?.name;
    const annotations = ns.metadata?.annotations;
    if (!name) return;
    const text = JSON.stringify([annotations?.[FAULT_ANNOTATION], annotations?.[TIME_SCALE_ANNOTATION]]);
    if (knobs.get(name) === text) return;
    knobs.set(name, text);
    opts.onChange(name);
  };

  return runResourceWatch<V1Namespace>({
    kc: opts.kc,
    path: '/api/v1/namespaces',
    list: () => core.listNamespace(),
    // A relist after missed events compares against what was seen, so only real changes requeue.
    onSync: (items) => items.forEach(update),
    // The CAS resources of a deleted Namespace go with it; their own watch cleans them up.
    onEvent: (type, ns) => (type === 'DELETED' ? void knobs.delete(ns.metadata?.name ?? '') : update(ns)),
    signal: opts.signal,
    log: opts.log,
  });
}
