// The CAS custom resource casflow creates, and the patch that turns on backups and probes.
// Shapes follow the plugin's cas_provisioning.yaml and cas_patch_probes_and_backup.json.
import { imageOf } from './versions.ts';

export const CAS_API_VERSION = 'services.scone.cloud/v1beta1';
/** Session the backup controller registers backups with (POLICY_NAME + "/register"). */
export const BACKUP_POLICY_NAME = 'cas-owner/primary-backup';
export const BACKUP_REGISTER_SESSION = `${BACKUP_POLICY_NAME}/register`;

export interface CasResourceOptions {
  namespace: string;
  name: string;
  version: string;
  imageRegistry: string;
  imageOverwrite?: string;
  nonce: string;
}

export function buildCasResource(options: CasResourceOptions) {
  return {
    apiVersion: CAS_API_VERSION,
    kind: 'CAS' as const,
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'casflow' },
    },
    spec: {
      image: options.imageOverwrite ?? imageOf(options.imageRegistry, 'cas', options.version),
      imagePullSecrets: [{ name: 'sconeapps' }],
      imagePullPolicy: 'Always',
      podAnnotations: { 'sconeapps/inject-pull-secret': 'true' },
      nodeSelector: { 'las.scontain.com/ok': 'true' },
      service: { type: 'NodePort' },
      persistence: { enabled: true },
      databaseSnapshots: { enabled: true, interval: '24h0m0s', persistence: { enabled: true } },
      'backup-controller': { enabled: false },
      nonce: options.nonce,
    },
  };
}

const LIVENESS_PROBE = {
  enabled: true,
  periodSeconds: 60,
  failureThreshold: 3,
  initialDelaySeconds: 60,
  timeoutSeconds: 5,
};
const STARTUP_PROBE = {
  enabled: true,
  periodSeconds: 60,
  failureThreshold: 60,
  initialDelaySeconds: 60,
  timeoutSeconds: 15,
};

/**
 * JSON Patch enabling probes and (unless noBackup) the backup controller. Whole members are
 * `add`ed, which replaces them when present, so applying it twice changes nothing.
 */
export function backupAndProbesPatch(
  currentBackupController: Record<string, unknown> | undefined,
  options: { imageRegistry: string; version: string; noBackup: boolean },
) {
  const ops: { op: 'add'; path: string; value: unknown }[] = [
    { op: 'add', path: '/spec/livenessProbe', value: LIVENESS_PROBE },
    { op: 'add', path: '/spec/startupProbe', value: STARTUP_PROBE },
    { op: 'add', path: '/spec/attestedCLIProbes', value: false },
  ];
  if (!options.noBackup) {
    ops.push({
      op: 'add',
      path: '/spec/backup-controller',
      value: {
        ...currentBackupController,
        enabled: true,
        session: BACKUP_REGISTER_SESSION,
        image: imageOf(options.imageRegistry, 'backup-controller', options.version),
      },
    });
  }
  return ops;
}
