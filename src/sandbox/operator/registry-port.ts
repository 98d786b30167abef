// The part of the CAS stand-in registry (src/sandbox/cas/registry.ts) the operator and kubelet use.
// Typed structurally so these stand-ins depend on the contract, not on the registry's module.

/** What the operator and kubelet read of one CAS instance. */
export interface CasInstanceView {
  namespace: string;
  name: string;
  owner: string | null;
  attestationFailure: boolean;
  logLines: string[];
}

/** `CasRegistry` as docs/CONTRACTS.md defines it, reduced to the calls made here. */
export interface CasRegistryPort {
  ensureInstance(namespace: string, name: string, opts?: { attestationFailure?: boolean }): CasInstanceView;
  get(namespace: string, name: string): CasInstanceView | undefined;
  remove(namespace: string, name: string): void;
  on(event: 'changed', fn: (s: CasInstanceView) => void): void;
}
