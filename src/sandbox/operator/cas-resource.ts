// The CAS custom resource as the operator stand-in reads it: spec parsed with the CRD's defaults
// (the API server applies them too, but only inside objects that exist), status left open.
import { z } from 'zod';
import { CAS_GROUP, SCONE_VERSION } from '../crds.ts';

export const CAS_API_VERSION = `${CAS_GROUP}/${SCONE_VERSION}`;
export const CAS_REF = { group: CAS_GROUP, version: SCONE_VERSION, plural: 'cas' } as const;
/** Default CAS image when spec.image is empty (the operator uses GLOBAL_SCONE_VERSION). */
export const DEFAULT_CAS_IMAGE = 'registry.scontain.com/scone.cloud/cas:6.0.5';

const Toleration = z
  .object({
    key: z.string().optional(),
    operator: z.string().optional(),
    value: z.string().optional(),
    effect: z.string().optional(),
  })
  .loose();
export type Toleration = z.infer<typeof Toleration>;

export const CasSpec = z
  .object({
    image: z.string().default(DEFAULT_CAS_IMAGE),
    imagePullPolicy: z.string().optional(),
    imagePullSecrets: z.array(z.object({ name: z.string() }).loose()).optional(),
    podAnnotations: z.record(z.string(), z.string()).optional(),
    nodeSelector: z.record(z.string(), z.string()).default({}),
    tolerations: z.array(Toleration).default([]),
    resources: z.record(z.string(), z.unknown()).optional(),
    nonce: z.string().optional(),
    service: z
      .object({
        type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'),
        clientPort: z.number().int().default(8081),
        enclavePort: z.number().int().default(18765),
        nodePorts: z.object({ clientPort: z.number().int(), enclavePort: z.number().int() }).partial().optional(),
        loadBalancerIP: z.string().optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .loose()
      .prefault({}),
    persistence: z
      .object({
        enabled: z.boolean().default(true),
        mountPath: z.string().default('/etc/cas/db'),
        size: z.string().default('1Gi'),
        storageClass: z.string().optional(),
        accessModes: z.array(z.string()).default(['ReadWriteOnce']),
      })
      .loose()
      .prefault({}),
    databaseSnapshots: z
      .object({
        enabled: z.boolean().default(false),
        interval: z.string().default('60s'),
        persistence: z.object({ enabled: z.boolean().optional() }).loose().optional(),
      })
      .loose()
      .prefault({}),
    'backup-controller': z
      .object({ enabled: z.boolean().default(false), image: z.string().default(''), session: z.string().optional() })
      .loose()
      .prefault({}),
  })
  .loose();
export type CasSpec = z.infer<typeof CasSpec>;

export interface CasObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    generation?: number;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec?: unknown;
  status?: Record<string, unknown>;
}

/** The tag of an image reference (`repo/cas:6.0.5` → `6.0.5`; `latest` when none; digest refs keep the digest). */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}
