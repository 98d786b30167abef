// Waits on the cluster, each a watch inside a heartbeating activity with an absolute deadline, so no
// polling loop is ever written into workflow history.
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { FAULT_PHASES, summariseCasStatus, type CasStatus, type CasStatusField } from '../src/domain/cas-status.ts';
import { podNameOf } from '../src/domain/names.ts';
import { casCollectionPath, CAS_GROUP, CAS_PLURAL, CAS_VERSION, type CasObject } from './kube/cas-api.ts';
import { watchUntil, WatchDeadlineError, WatchRefusedError } from './kube/watch-until.ts';
import { parseCasStartupLines, readCasLog } from './kube/pod-log.ts';
import { recordCasEvent } from './kube/events.ts';
import { withHeartbeat } from './heartbeat.ts';
import type { ActivityDeps, CasTarget } from './deps.ts';
import { permanent, PermanentFailure } from './errors.ts';

export interface WaitForCasStatusInput extends CasTarget {
  field: CasStatusField;
  /** Any of these values ends the wait. */
  values: string[];
  /** Epoch milliseconds; computed by the workflow so a retried attempt keeps the original deadline. */
  deadlineAt: number;
  /** Fail at once when the operator reports a fault phase (AttestationFailure, SnapshotFailure). */
  failOnFaultPhase?: boolean;
}

export interface CasEndpoint {
  podName: string;
  nodeName?: string;
  serviceName: string;
  clusterIP?: string;
  clientPort: number;
}

const CAS_LABELS = (name: string) => `app.kubernetes.io/instance=${name},app.kubernetes.io/name=cas`;
const LOG_RETRY_MS = 1_000;

function refusedFailure(target: CasTarget, what: string, error: WatchRefusedError) {
  return permanent(
    PermanentFailure.watchRefused,
    `Cannot wait for ${what} of CAS ${target.name} in namespace ${target.namespace}: ${error.message}; ` +
      "check the worker's RBAC (deploy/cluster-role.yaml)",
  );
}

export function waitActivities({ kube }: ActivityDeps) {
  function deadlineFailure(target: CasTarget, what: string, last: string) {
    return permanent(
      PermanentFailure.deadlineExceeded,
      `Deadline passed for CAS ${target.name} in namespace ${target.namespace} waiting for ${what}; last seen: ${last}`,
    );
  }

  async function waitForObject<T extends { metadata?: { name?: string } }>(
    target: CasTarget,
    what: string,
    path: string,
    list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>,
    ready: (item: T) => boolean,
    describe: (items: T[]) => string,
    deadlineAt: number,
    labelSelector: string,
  ): Promise<T> {
    let last = 'nothing yet';
    return withHeartbeat(
      () => ({ waitingFor: what, last }),
      async (signal) => {
        try {
          return await watchUntil<T, T>({
            kube,
            path,
            labelSelector,
            deadlineAt,
            signal,
            list: async () => {
              const result = await list();
              return { items: result.items, resourceVersion: result.metadata?.resourceVersion ?? '0' };
            },
            onObserve: (items) => (last = describe(items)),
            check: (items) => items.find(ready),
          });
        } catch (error) {
          if (error instanceof WatchDeadlineError) throw deadlineFailure(target, what, last);
          if (error instanceof WatchRefusedError) throw refusedFailure(target, what, error);
          throw error;
        }
      },
    );
  }

  return {
    /** Waits until pod <name>-0 runs and its service exists; returns where the CAS listens. */
    async waitForCasPod(input: CasTarget & { deadlineAt: number; recordEvent?: boolean }): Promise<CasEndpoint> {
      const { namespace, name, deadlineAt } = input;
      const selector = CAS_LABELS(name);
      const pod = await waitForObject<V1Pod>(
        input,
        `pod ${podNameOf(name)} to run`,
        `/api/v1/namespaces/${namespace}/pods`,
        () => kube.core.listNamespacedPod({ namespace, labelSelector: selector }),
        (p) => p.metadata?.name === podNameOf(name) && p.status?.phase === 'Running',
        (items) => {
          const p = items.find((i) => i.metadata?.name === podNameOf(name));
          return p ? `pod phase ${p.status?.phase ?? 'unknown'}` : 'no pod';
        },
        deadlineAt,
        selector,
      );
      const service = await waitForObject<V1Service>(
        input,
        `the service of CAS ${name}`,
        `/api/v1/namespaces/${namespace}/services`,
        () => kube.core.listNamespacedService({ namespace, labelSelector: selector }),
        () => true,
        () => 'no service',
        deadlineAt,
        selector,
      );
      const clientPort =
        service.spec?.ports?.find((p) => p.name === 'client')?.port ?? service.spec?.ports?.[0]?.port ?? 8081;
      // Read-only callers (verifyCas) pass recordEvent false: a check leaves no trace on the CAS.
      if (input.recordEvent !== false)
        await recordCasEvent(kube, {
          namespace,
          name,
          reason: 'CasflowPodRunning',
          message: `pod ${podNameOf(name)} runs on node ${pod.spec?.nodeName ?? 'unknown'}; service ${service.metadata?.name}`,
        });
      return {
        podName: podNameOf(name),
        nodeName: pod.spec?.nodeName,
        serviceName: service.metadata?.name ?? name,
        clusterIP: service.spec?.clusterIP,
        clientPort,
      };
    },

    /** Reads the CAS key hash from the pod log, checking the provisioning token is there too. */
    async readCasKeyHash(input: CasTarget & { deadlineAt: number }): Promise<{ keyHash: string }> {
      const { namespace, name, deadlineAt } = input;
      let last = 'no log yet';
      return withHeartbeat(
        () => ({ waitingFor: 'CAS key hash in the pod log', last }),
        async (signal) => {
          // Logs cannot be watched like objects; this short retry loop stays inside the activity.
          while (!signal.aborted) {
            try {
              const lines = parseCasStartupLines(await readCasLog(kube, namespace, podNameOf(name)));
              if (lines.keyHash && lines.provisioningToken) return { keyHash: lines.keyHash };
              last = lines.keyHash ? 'key hash but no provisioning token' : 'no key hash line';
            } catch (error) {
              last = `log not readable (${(error as Error).message.split('\n')[0]})`;
            }
            if (Date.now() >= deadlineAt) throw deadlineFailure(input, 'the CAS key hash in the pod log', last);
            await new Promise((resolve) => setTimeout(resolve, LOG_RETRY_MS));
          }
          throw new Error('Cancelled while reading the CAS log');
        },
      );
    },

    /** Waits until status.<field> takes one of the given values; fails at once on a fault phase. */
    async waitForCasStatus(input: WaitForCasStatusInput): Promise<CasStatus> {
      const { namespace, name, field, values, deadlineAt } = input;
      const what = `status.${field} to be ${values.join(' or ')}`;
      let lastStatus: CasStatus | undefined;
      return withHeartbeat(
        () => ({ waitingFor: what, status: lastStatus }),
        async (signal) => {
          try {
            return await watchUntil<CasObject, CasStatus>({
              kube,
              path: casCollectionPath(namespace),
              fieldSelector: `metadata.name=${name}`,
              deadlineAt,
              signal,
              list: async () => {
                const list = (await kube.custom.listNamespacedCustomObject({
                  group: CAS_GROUP,
                  version: CAS_VERSION,
                  plural: CAS_PLURAL,
                  namespace,
                  fieldSelector: `metadata.name=${name}`,
                })) as { items: CasObject[]; metadata?: { resourceVersion?: string } };
                return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '0' };
              },
              onObserve: (items) => (lastStatus = items[0]?.status),
              check: (items) => {
                const cas = items[0];
                if (!cas)
                  throw permanent(PermanentFailure.casNotFound, `CAS ${name} in namespace ${namespace} was deleted`);
                const status = cas.status ?? {};
                const value = status[field];
                if (typeof value === 'string' && values.includes(value)) return status;
                const phase = status.phase;
                if (input.failOnFaultPhase && phase && (FAULT_PHASES as readonly string[]).includes(phase)) {
                  throw permanent(
                    PermanentFailure.casFault,
                    `CAS ${name} in namespace ${namespace} reports phase ${phase} while waiting for ${what} ` +
                      `(${summariseCasStatus(status)})`,
                  );
                }
                return undefined;
              },
            });
          } catch (error) {
            if (error instanceof WatchRefusedError) throw refusedFailure(input, what, error);
            if (error instanceof WatchDeadlineError) {
              const lastValue = lastStatus?.[field];
              throw permanent(
                PermanentFailure.deadlineExceeded,
                `Deadline passed for CAS ${name} in namespace ${namespace} waiting for ${what}; ` +
                  `status.${field} was ${lastValue === undefined ? 'unset' : JSON.stringify(lastValue)} ` +
                  `(${summariseCasStatus(lastStatus)})`,
              );
            }
            throw error;
          }
        },
      );
    },
  };
}
