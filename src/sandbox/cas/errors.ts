/** Why the CAS stand-in refused a request; the HTTP status follows from it. */
export type CasRefusalKind = 'unknown-cas' | 'refused' | 'not-found' | 'bad-request';

const statusOf: Record<CasRefusalKind, number> = {
  'unknown-cas': 404,
  'not-found': 404,
  refused: 403,
  'bad-request': 400,
};

/** A request the CAS stand-in refuses; the message is what the scone stand-in prints. */
export class CasRefusedError extends Error {
  override readonly name = 'CasRefusedError';
  readonly status: number;

  constructor(
    readonly kind: CasRefusalKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = statusOf[kind];
  }
}
