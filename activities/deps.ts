// What activities are built from. The worker passes real clients; tests may pass stand-ins.
import type { Logger } from 'pino';
import type { KubeClients } from './kube/clients.ts';
import type { CredentialStore } from './credentials/store.ts';
import type { SconeCliOptions } from './scone/scone-cli.ts';

export interface ActivityDeps {
  kube: KubeClients;
  scone: SconeCliOptions;
  credentials: CredentialStore;
  /** MRSIGNER values tried in order when attesting (the plugin's SGX_TOLERATIONS, then SGX_STD_TOLERATIONS). */
  signers: string[];
  /** Intel PCS (or a PCCS) base URL for the DCAP key check; no check when absent. */
  pcsUrl?: string;
  logger: Logger;
}

/** Identifies the CAS an activity works on. */
export interface CasTarget {
  namespace: string;
  name: string;
}
