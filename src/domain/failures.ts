// Stable failure types. Activities raise them as non-retryable ApplicationFailures; workflows list
// them as non-retryable; the CLI and tests match on them.
export const PermanentFailure = {
  invalidInput: 'InvalidInputError',
  namespaceNotFound: 'NamespaceNotFoundError',
  leftoverDatabaseVolume: 'LeftoverDatabaseVolumeError',
  deadlineExceeded: 'DeadlineExceededError',
  watchRefused: 'WatchRefusedError',
  casFault: 'CasFaultError',
  attestationRefused: 'AttestationRefusedError',
  provisioningRefused: 'ProvisioningRefusedError',
  notCasOwner: 'NotCasOwnerError',
  dcapKeyRejected: 'DcapKeyRejectedError',
  casNotFound: 'CasNotFoundError',
  missingCredential: 'MissingCredentialError',
} as const;
export type PermanentFailureType = (typeof PermanentFailure)[keyof typeof PermanentFailure];

/** Every permanent type, for retry policies. */
export const NON_RETRYABLE_TYPES: string[] = Object.values(PermanentFailure);
