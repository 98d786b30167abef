// Name of the Secret holding a CAS's sensitive provisioning inputs (DCAP key, owner config).

/** One per CAS; keys dcapKey and ownerConfig, the defaults of InputSecretRef. */
export function inputSecretName(casName: string): string {
  return `casflow-input-${casName}`;
}
