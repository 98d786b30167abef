// Wire format between the scone stand-in and the CAS stand-in service: JSON over loopback
// HTTP, one POST route per CLI operation. The real CLI speaks TLS to the CAS and proves its
// identity with its client key; here the CLI simply sends its identity key hash (`caller`).
import { z } from 'zod';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/i, 'expected 64 hex digits');

export const AttestationRequest = z.object({
  acceptConfigurationNeeded: z.boolean().default(false),
  acceptGroupOutOfDate: z.boolean().default(false),
  acceptSwHardeningNeeded: z.boolean().default(false),
  casKeyHash: Hex64.optional(),
  softwareKeyHash: Hex64.optional(),
  signer: z.object({ mrsigner: Hex64, isvprodid: z.number().int(), isvsvn: z.number().int() }).optional(),
  ignoreSigner: z.boolean().default(false),
  trustAny: z.boolean().default(false),
  debug: z.boolean().default(false),
  allowUnprovisioned: z.boolean().default(false),
});
export type AttestationRequest = z.infer<typeof AttestationRequest>;

const Base = z.object({ address: z.string(), caller: Hex64 });

/** Requests after attestation pin the CAS key hash the CLI attested. */
const Pinned = Base.extend({ pinnedKeyHash: Hex64 });

export const AttestBody = Base.extend({ attestation: AttestationRequest });

export const ProvisionBody = Base.extend({
  /** null for `only_for_testing-without-attestation`. */
  attestation: AttestationRequest.nullable(),
  casKeyHash: Hex64,
  token: z.string(),
  ownerConfig: z.string(),
  databaseKey: Hex64.optional(),
});

export const SessionWriteBody = Pinned.extend({ body: z.string() });
export const SessionReadBody = Pinned.extend({ name: z.string() });
export const PinnedBody = Pinned;

export const CasIdentification = z.object({
  namespace: z.string(),
  name: z.string(),
  keyHash: z.string(),
  softwareKeyHash: z.string(),
  sessionEncryptionKey: z.string(),
  certificate: z.string(),
  provisioned: z.boolean(),
});
export type CasIdentification = z.infer<typeof CasIdentification>;

export const SessionHashReply = z.object({ name: z.string(), hash: z.string() });
export const SessionReadReply = z.object({ name: z.string(), hash: z.string(), body: z.string() });
export const ErrorReply = z.object({ error: z.object({ kind: z.string(), message: z.string() }) });

/** Route paths, shared so client and server cannot drift apart. */
export const ROUTES = {
  attest: '/v1/attest',
  provision: '/v1/provision',
  identification: '/v1/identification',
  sessionCreate: '/v1/sessions/create',
  sessionUpdate: '/v1/sessions/update',
  sessionRead: '/v1/sessions/read',
  sessionVerify: '/v1/sessions/verify',
} as const;
