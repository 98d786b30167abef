// Errors of the operator stand-in.

/** A CAS whose spec cannot be read; the operator reports it and leaves the CAS alone. */
export class InvalidCasSpecError extends Error {
  override readonly name = 'InvalidCasSpecError';
  constructor(
    readonly namespace: string,
    readonly cas: string,
    readonly issues: string,
    options?: { cause?: unknown },
  ) {
    super(`CAS ${namespace}/${cas} has an invalid spec: ${issues}`, options);
  }
}
