// Reconciles one CAS. Steps:
//   1. read the CAS; gone → delete its pod and service (the PVC stays), forget it in the registry;
//   2. parse the spec; read the fault knobs from the CAS and its Namespace;
//   3. find the SGX nodes it may use; ensure PVC, pod (Running, Ready) and service;
//   4. register the instance in the CAS registry once the pod runs (attestation fault applied there);
//   5. plan the next status step; forward steps wait one phase delay × time scale, measured from the
//      moment the step first became possible; write it through the status subresource.
// Returns the ms until it wants to run again (undefined: at rest until something changes).
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { CAS_REF, CasSpec, type CasObject } from './cas-resource.ts';
import { InvalidCasSpecError } from './errors.ts';
import { readKnobs } from './faults.ts';
import { isApiStatus, orNotFound } from './kube-errors.ts';
import { deleteOwnedObjects, ensureCasPod, ensureCasService, ensureDatabasePvc } from './owned-objects.ts';
import type { CasRegistryPort } from './registry-port.ts';
import { migratableNodes, placeCasPod } from './sgx-placement.ts';
import { NO_MIGRATION, planStatus, type Migration } from './status-plan.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export interface CasReconcilerOptions {
  kc: KubeConfig;
  registry: CasRegistryPort;
  /** Delay of one forward status step before the time scales apply. */
  phaseDelayMs: number;
  log: Logger;
}

/** What the operator remembers about one CAS between reconciles. */
interface Memory {
  uid: string;
  migration: Migration;
  pending?: { fingerprint: string; since: number };
  warned?: string;
}

export class CasReconciler {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly memory = new Map<string, Memory>();

  constructor(private readonly opts: CasReconcilerOptions) {
    this.core = opts.kc.makeApiClient(CoreV1Api);
    this.custom = opts.kc.makeApiClient(CustomObjectsApi);
  }

  /** Keys (`<namespace>/<name>`) of the CAS resources seen so far. */
  knownKeys(): string[] {
    return [...this.memory.keys()];
  }

  async reconcile(key: string): Promise<number | undefined> {
    const [namespace = '', name = ''] = key.split('/');
    const cas = (await orNotFound(this.custom.getNamespacedCustomObject({ ...CAS_REF, namespace, name }))) as
      CasObject | undefined;
    if (!cas || cas.metadata.deletionTimestamp) return this.cleanUp(key, namespace, name);

    const memory = this.remember(key, cas.metadata.uid);
    const parsed = CasSpec.safeParse(cas.spec ?? {});
    if (!parsed.success) {
      const error = new InvalidCasSpecError(namespace, name, parsed.error.message);
      this.warnOnce(memory, error.message, { err: error, namespace, name });
      return undefined;
    }
    const spec = parsed.data;
    const ns = await orNotFound(this.core.readNamespace({ name: namespace }));
    const knobs = readKnobs(cas.metadata.annotations, ns?.metadata?.annotations);
    if (knobs.ignored.length > 0) {
      this.warnOnce(
        memory,
        knobs.ignored.join(','),
        { namespace, name, ignored: knobs.ignored },
        'unknown knob ignored',
      );
    }

    const nodes = migratableNodes((await this.core.listNode()).items, spec.tolerations);
    await ensureDatabasePvc(this.core, cas, spec);
    const pod = await ensureCasPod(this.core, cas, spec, placeCasPod(nodes, spec.nodeSelector, key));
    await ensureCasService(this.core, cas, spec);

    // ensureInstance also applies a fault added or removed later.
    const attestationFailure = knobs.fault === 'attestation-failure';
    const instance = pod.ready
      ? this.opts.registry.ensureInstance(namespace, name, { attestationFailure })
      : this.opts.registry.get(namespace, name);

    const plan = planStatus({
      status: cas.status ?? {},
      generation: cas.metadata.generation ?? 0,
      spec,
      pod,
      owner: instance?.owner != null,
      fault: knobs.fault,
      nodes,
      migration: memory.migration,
      now: new Date(),
    });
    if (!plan) {
      memory.pending = undefined;
      return undefined;
    }

    if (plan.delayed) {
      const now = Date.now();
      if (memory.pending?.fingerprint !== plan.fingerprint)
        memory.pending = { fingerprint: plan.fingerprint, since: now };
      const remaining = memory.pending.since + this.opts.phaseDelayMs * knobs.timeScale - now;
      if (remaining > 0) return remaining;
    }
    memory.pending = undefined;

    if (!(await this.writeStatus(namespace, name, plan.patch))) return undefined;
    memory.migration = plan.migration;
    this.opts.log.info(
      { namespace, name, phase: plan.stage, patch: plan.patch },
      'operator stand-in: CAS status changed',
    );
    return 0;
  }

  private remember(key: string, uid: string): Memory {
    let memory = this.memory.get(key);
    // A CAS recreated under the same name starts over.
    if (!memory || memory.uid !== uid) {
      memory = { uid, migration: NO_MIGRATION };
      this.memory.set(key, memory);
    }
    return memory;
  }

  private async cleanUp(key: string, namespace: string, name: string): Promise<undefined> {
    // The registry forgets the instance first, so whoever sees the pod go finds the CAS gone too.
    const known = this.memory.delete(key);
    if (known) this.opts.registry.remove(namespace, name);
    await deleteOwnedObjects(this.core, namespace, name);
    if (known)
      this.opts.log.info({ namespace, name }, 'operator stand-in: CAS deleted, pod and service removed, PVC kept');
    return undefined;
  }

  /** Writes through the status subresource; false when the CAS disappeared meanwhile. */
  private async writeStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<boolean> {
    try {
      await this.custom.patchNamespacedCustomObjectStatus(
        { ...CAS_REF, namespace, name, body: { status } },
        mergePatch,
      );
      return true;
    } catch (err) {
      if (isApiStatus(err, 404)) return false;
      throw err;
    }
  }

  private warnOnce(memory: Memory, what: string, data: object, msg = 'operator stand-in: CAS left alone'): void {
    if (memory.warned === what) return;
    memory.warned = what;
    this.opts.log.warn(data, msg.startsWith('operator stand-in') ? msg : `operator stand-in: ${msg}`);
  }
}
