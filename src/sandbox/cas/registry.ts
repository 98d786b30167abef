// In-memory state of every CAS stand-in instance, shared by the operator stand-in (creates
// instances, watches owner changes), the kubelet stand-in (serves `logLines` as the pod log)
// and the CAS service (attestation, provisioning, sessions). Optionally mirrored to a JSON
// file so a restarted sandbox keeps its CAS databases.
import { EventEmitter } from 'node:events';
import { parseCasAddress } from './address.ts';
import { randomHex, selfSignedCertificate } from './certificate.ts';
import { SCONTAIN_STD_SIGNER } from './constants.ts';
import { loadInstances, saveInstances, instanceFromJson, instanceToJson } from './persistence.ts';

export { SCONTAIN_STD_SIGNER, DB_KEY_INJECTION_SIGNER } from './constants.ts';

export interface CasPolicy {
  name: string;
  body: string;
  hash: string;
  predecessor: string | null;
  creator: string;
}

export interface CasInstanceState {
  namespace: string;
  name: string;
  keyHash: string;
  softwareKeyHash: string;
  sessionEncryptionKey: string;
  certificate: string;
  provisioningToken: string;
  mrsigner: string;
  owner: string | null;
  ownerConfig: string | null;
  provisionCount: number;
  provisionAttempts: number;
  attestationFailure: boolean;
  policies: Map<string, CasPolicy>;
  logLines: string[];
}

export interface CasRegistryOptions {
  /** Directory for `cas-registry.json`; default: memory only. */
  stateDir?: string;
}

export interface EnsureInstanceOptions {
  /** Fault: every attestation fails. Updates an existing instance when given. */
  attestationFailure?: boolean;
  /** Signer the enclave reports; only used when the instance is created. Default: Scontain's. */
  mrsigner?: string;
}

/** All CAS stand-in instances, keyed by namespace and name. */
export class CasRegistry {
  readonly #instances = new Map<string, CasInstanceState>();
  readonly #events = new EventEmitter();
  readonly #stateDir: string | undefined;

  constructor(options: CasRegistryOptions = {}) {
    this.#stateDir = options.stateDir;
    if (this.#stateDir) {
      for (const s of loadInstances(this.#stateDir)) this.#instances.set(keyOf(s.namespace, s.name), s);
    }
  }

  /** Creates the instance on first call; later calls return it (and apply a changed fault). */
  ensureInstance(namespace: string, name: string, opts: EnsureInstanceOptions = {}): CasInstanceState {
    const existing = this.get(namespace, name);
    if (existing) {
      if (opts.attestationFailure !== undefined && opts.attestationFailure !== existing.attestationFailure) {
        existing.attestationFailure = opts.attestationFailure;
        this.#save();
      }
      return existing;
    }

    const state = newInstance(namespace, name, opts);
    this.#instances.set(keyOf(namespace, name), state);
    this.#save();
    return state;
  }

  get(namespace: string, name: string): CasInstanceState | undefined {
    return this.#instances.get(keyOf(namespace, name));
  }

  list(): CasInstanceState[] {
    return [...this.#instances.values()];
  }

  remove(namespace: string, name: string): void {
    if (this.#instances.delete(keyOf(namespace, name))) this.#save();
  }

  /** The instance behind `<name>.<namespace>[.svc[.cluster.local]]:<port>`. */
  resolveAddress(addr: string): CasInstanceState | undefined {
    const parsed = parseCasAddress(addr);
    return parsed && this.get(parsed.namespace, parsed.name);
  }

  /** 'changed' fires after the owner or a policy of an instance changed. */
  on(event: 'changed', fn: (s: CasInstanceState) => void): void {
    this.#events.on(event, fn);
  }

  off(event: 'changed', fn: (s: CasInstanceState) => void): void {
    this.#events.off(event, fn);
  }

  /** Counts one provisioning request, refused or not. */
  recordProvisionAttempt(state: CasInstanceState): void {
    state.provisionAttempts += 1;
    this.#save();
  }

  /** Makes `owner` (an identity key hash) the owner; the caller has checked the rules. */
  recordProvisioning(state: CasInstanceState, owner: string, ownerConfig: string): void {
    state.owner = owner;
    state.ownerConfig = ownerConfig;
    state.provisionCount += 1;
    state.logLines.push(logLine('CAS provisioned: owner identity registered'));
    this.#changed(state);
  }

  /** Stores a new or updated policy; the caller has checked predecessor and access. */
  putPolicy(state: CasInstanceState, policy: CasPolicy): void {
    state.policies.set(policy.name, policy);
    this.#changed(state);
  }

  /** The instance's database (keys, owner, policies) as text, as a snapshot would hold it. */
  exportDatabase(namespace: string, name: string): string | undefined {
    const state = this.get(namespace, name);
    return state && JSON.stringify(instanceToJson(state));
  }

  /**
   * Recreates an instance from `exportDatabase` text under a (possibly different) name, as a
   * recovery from a snapshot does: same keys, owner and policies, fresh counters and log.
   */
  importDatabase(namespace: string, name: string, database: string): CasInstanceState {
    const restored = instanceFromJson(JSON.parse(database) as unknown);
    const state: CasInstanceState = {
      ...restored,
      namespace,
      name,
      provisionCount: 0,
      provisionAttempts: 0,
      attestationFailure: false,
      logLines: startupLog(restored, 'restored database from snapshot'),
    };
    this.#instances.set(keyOf(namespace, name), state);
    this.#changed(state);
    return state;
  }

  #changed(state: CasInstanceState): void {
    this.#save();
    this.#events.emit('changed', state);
  }

  #save(): void {
    if (this.#stateDir) saveInstances(this.#stateDir, this.list());
  }
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function newInstance(namespace: string, name: string, opts: EnsureInstanceOptions): CasInstanceState {
  const dns = [`${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
  const cert = selfSignedCertificate(`${name}.${namespace}`, dns);
  const state: CasInstanceState = {
    namespace,
    name,
    keyHash: cert.publicKeyHash,
    softwareKeyHash: randomHex(32),
    sessionEncryptionKey: randomHex(32),
    certificate: cert.pem,
    provisioningToken: randomHex(16),
    mrsigner: opts.mrsigner ?? SCONTAIN_STD_SIGNER,
    owner: null,
    ownerConfig: null,
    provisionCount: 0,
    provisionAttempts: 0,
    attestationFailure: opts.attestationFailure ?? false,
    policies: new Map(),
    logLines: [],
  };
  state.logLines = startupLog(state, 'created a new database');
  return state;
}

// The plugin greps the pod log for "CAS key hash" and "CAS provisioning token" and takes the
// last whitespace-separated field, so those values must end their lines. An unprovisioned
// CAS prints its token; a provisioned one has no use for it.
function startupLog(state: Omit<CasInstanceState, 'logLines'>, database: string): string[] {
  const lines = [
    logLine(`casflow sandbox stand-in for SCONE CAS ${state.namespace}/${state.name} (no enclave, no SGX)`),
    logLine(`database at /etc/cas/db/cas.db: ${database}`),
    logLine(`CAS key hash ${state.keyHash}`),
    logLine(`CAS software key hash ${state.softwareKeyHash}`),
  ];
  if (state.owner === null) lines.push(logLine(`CAS provisioning token ${state.provisioningToken}`));
  lines.push(logLine('listening for clients on 0.0.0.0:8081 and enclaves on 0.0.0.0:18765'));
  return lines;
}

function logLine(text: string): string {
  return `${new Date().toISOString()} INFO  cas: ${text}`;
}
