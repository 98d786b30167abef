// Everything that stands in for SCONE and SGX around a real API server (DESIGN.md section 7).
// Steps of startStandIns:
//   1. install the SCONE CRDs (CAS, LAS, Vault) and wait for them;
//   2. start the PCS stub with a fresh subscription key, and the CAS service over a shared registry;
//   3. write the `scone` wrapper bound to that CAS service;
//   4. start the kubelet stand-in, then create the SGX Nodes pointing at it and LAS `las`
//      (spec.dcapKey = the PCS stub's key, so the plugin's DCAP lookup finds a key the stub accepts);
//   5. start the operator stand-in.
// If a step fails, what already runs is stopped before the error is rethrown.
// stop() stops everything in reverse order; Kubernetes objects stay (the API server owns them).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CasRegistry } from './cas/registry.ts';
import { startCasService } from './cas/service.ts';
import { installCrds } from './crds.ts';
import { startKubelet } from './kubelet.ts';
import { createSgxNodes, ensureLas } from './nodes.ts';
import { startOperator } from './operator/index.ts';
import { startPcsStub } from './pcs/stub.ts';
import { writeSconeWrapper } from './scone/install.ts';
import { kubeConfigFor, type KubeServer } from './servers/index.ts';
import { standInLogger } from './stand-in-log.ts';

export interface StandIns {
  /** Executable wrapper for the scone stand-in. */
  sconeBin: string;
  pcs: { url: string; subscriptionKey: string };
  /** In-process view of the CAS stand-in (tests inspect it). */
  cas: CasRegistry;
  casServiceUrl: string;
  /** Names of the SGX Nodes (beyond the contract: tests annotate them). */
  nodes: string[];
  stop(): Promise<void>;
}

export interface StandInsOptions {
  kube: KubeServer;
  /** Certificates, the scone wrapper and the CAS databases go below it. */
  stateDir: string;
  /** Number of SGX nodes (default 3). */
  nodes?: number;
  /** Multiplies every operator phase delay (default 1; 300 ms per phase). */
  timeScale?: number;
  /** DCAP subscription key for the PCS stub and LAS (default: a random 32-hex key). */
  dcapKey?: string;
  log?: Logger;
}

type Stop = { what: string; stop: () => Promise<void> };

/** Starts all stand-ins; see the steps above. */
export async function startStandIns(opts: StandInsOptions): Promise<StandIns> {
  const log = opts.log ?? standInLogger('stand-ins');
  const kc = kubeConfigFor(opts.kube);
  const started: Stop[] = [];
  const stopAll = () => stopInReverse(started, log);

  try {
    await installCrds(kc);

    const subscriptionKey = opts.dcapKey ?? randomBytes(16).toString('hex');
    const pcs = await startPcsStub({ subscriptionKey });
    started.push({ what: 'PCS stub', stop: () => pcs.stop() });
    const cas = new CasRegistry({ stateDir: join(opts.stateDir, 'cas') });
    const casService = await startCasService({ registry: cas, pcs: { url: pcs.url } });
    started.push({ what: 'CAS service', stop: () => casService.stop() });

    const sconeBin = await writeSconeWrapper(join(opts.stateDir, 'bin'), casService.url);

    const kubelet = await startKubelet({ stateDir: opts.stateDir, registry: cas });
    started.push({ what: 'kubelet stand-in', stop: () => kubelet.stop() });
    const nodes = await createSgxNodes(kc, { kubeletPort: kubelet.port, count: opts.nodes });
    await ensureLas(kc, { nodes, dcapKey: subscriptionKey });

    const operator = await startOperator({
      kc,
      registry: cas,
      timeScale: opts.timeScale,
      log: standInLogger('operator stand-in', log),
    });
    started.push({ what: 'operator stand-in', stop: () => operator.stop() });

    log.info({ nodes, casServiceUrl: casService.url, pcsUrl: pcs.url }, 'stand-ins started');
    return {
      sconeBin,
      pcs: { url: pcs.url, subscriptionKey },
      cas,
      casServiceUrl: casService.url,
      nodes,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function stopInReverse(started: Stop[], log: Logger): Promise<void> {
  while (started.length > 0) {
    const { what, stop } = started.pop()!;
    try {
      await stop();
    } catch (err) {
      // Keep going: one stand-in failing to stop must not leave the others running.
      log.warn({ err, what }, 'stand-in did not stop cleanly');
    }
  }
}
