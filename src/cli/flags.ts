// The flags `casflow provision cas` accepts: the plugin's own (same names, short forms and defaults)
// plus a few casflow extras. Parsing lives in parse-args.ts; help text in help.ts.

export interface FlagValues {
  namespace: string;
  dcapApi: string;
  nonce: string;
  ownerConfig: string;
  target: string;
  noBackup: boolean;
  verbose: boolean;
  debug: boolean;
  webhook: string;
  imageRegistry: string;
  imageOverwrite: string;
  setVersion: string;
  setTolerations: string;
  isProvisioned: boolean;
  verify: boolean;
  printPublicKeys: boolean;
  wait: boolean;
  output: string;
  help: boolean;
  version: boolean;
  timeoutPod: string;
  timeoutProvisioned: string;
  timeoutHealthy: string;
  detach: boolean;
  kubeconfig: string;
  context: string;
  ignored: boolean;
}

export type FlagKey = keyof FlagValues;

export interface FlagSpec {
  long: string;
  short?: string;
  key: FlagKey;
  /** Placeholder of the value; absent for switches. */
  value?: string;
  help: string;
  /** Listed under "casflow extras" in the help text. */
  extra?: boolean;
}

export const FLAGS: readonly FlagSpec[] = [
  {
    long: '--namespace',
    short: '-n',
    key: 'namespace',
    value: 'NAMESPACE',
    help: 'Namespace of the CAS (env NAMESPACE, default "default")',
  },
  {
    long: '--dcap-api',
    short: '-d',
    key: 'dcapApi',
    value: 'KEY',
    help: 'DCAP API key, 32 hex characters (env DCAP_KEY; else the LAS key)',
  },
  { long: '--nonce', key: 'nonce', value: 'HEX32', help: 'Nonce for status.dcapReport (default: random)' },
  {
    long: '--owner-config',
    short: '-o',
    key: 'ownerConfig',
    value: 'FILE',
    help: 'Owner config (TOML); $VAR and ${VAR} are substituted',
  },
  {
    long: '--target',
    key: 'target',
    value: 'DIR',
    help: 'Accepted for compatibility; the worker keeps the owner identity',
  },
  { long: '--no-backup', key: 'noBackup', help: 'Leave the backup controller disabled' },
  { long: '--verbose', short: '-v', key: 'verbose', help: 'Print more detail' },
  { long: '--debug', key: 'debug', help: 'Print error details and stack traces' },
  { long: '--webhook', key: 'webhook', value: 'URL', help: 'Forward the CAS audit log to this http(s) URL' },
  {
    long: '--image-registry',
    key: 'imageRegistry',
    value: 'REGISTRY',
    help: 'Image registry (env IMAGE_REPO, default registry.scontain.com/scone.cloud)',
  },
  { long: '--image-overwrite', key: 'imageOverwrite', value: 'IMAGE', help: 'Replace the CAS image (testing)' },
  { long: '--set-version', key: 'setVersion', value: 'VERSION', help: 'SCONE version of CAS (env VERSION)' },
  {
    long: '--set-tolerations',
    key: 'setTolerations',
    value: '"FLAGS"',
    help: 'Accepted TCB flags, space separated (env SGX_TOLERATIONS)',
  },
  { long: '--set-toleration', key: 'setTolerations', value: '"FLAGS"', help: 'Same as --set-tolerations' },
  { long: '--is-provisioned', key: 'isProvisioned', help: 'Print YES (exit 0) or NO (exit 1)' },
  { long: '--verify', key: 'verify', help: 'Check that the CAS is attestable and provisioned' },
  { long: '--print-public-keys', key: 'printPublicKeys', help: 'Attest the CAS and print its keys as export lines' },
  { long: '--wait', key: 'wait', help: 'Wait until the CAS is HEALTHY' },
  { long: '--help', key: 'help', help: 'Print this help' },
  { long: '--version', key: 'version', help: "Print casflow's version" },
  { long: '--output', key: 'output', value: 'text|json', help: 'Output format (default text)', extra: true },
  {
    long: '--timeout-pod',
    key: 'timeoutPod',
    value: 'DURATION',
    help: 'Deadline for the CAS pod and service (default 10m)',
    extra: true,
  },
  {
    long: '--timeout-provisioned',
    key: 'timeoutProvisioned',
    value: 'DURATION',
    help: 'Deadline for status.provisioned Yes (default 5m)',
    extra: true,
  },
  {
    long: '--timeout-healthy',
    key: 'timeoutHealthy',
    value: 'DURATION',
    help: 'Deadline for state HEALTHY (default 30m)',
    extra: true,
  },
  { long: '--detach', key: 'detach', help: 'Start the workflow, print its id and exit', extra: true },
  {
    long: '--kubeconfig',
    key: 'kubeconfig',
    value: 'FILE',
    help: 'Kubeconfig file (default $KUBECONFIG, then ~/.kube/config)',
    extra: true,
  },
  {
    long: '--context',
    key: 'context',
    value: 'NAME',
    help: 'Kubeconfig context (default: current context)',
    extra: true,
  },
  { long: '--no-image-signature-check', key: 'ignored', help: 'Accepted and ignored: casflow runs no images itself' },
  { long: '--no-docker', key: 'ignored', help: 'Accepted and ignored: casflow does not use docker' },
];

/** Plugin flags casflow does not implement yet, with whether they take a value. */
export const UNSUPPORTED_FLAGS: ReadonlyMap<string, boolean> = new Map([
  ['--upgrade', true],
  ['--force', false],
  ['--local-backup', false],
  ['--cas-database-recovery', true],
  ['--manifests-dir', true],
  ['--filename', true],
  ['-f', true],
  ['--verify-image-signatures', true],
  ['--cas-address', true],
  ['--cas-client-port', true],
  ['--local-cas-client-port', true],
  ['--preprovision-only', false],
  ['--postprovision-only', false],
  ['--postprovision-owner-identity', true],
  ['--cas', true],
  ['--vault-client', false],
]);

const BY_NAME = new Map<string, FlagSpec>();
for (const spec of FLAGS) {
  BY_NAME.set(spec.long, spec);
  if (spec.short) BY_NAME.set(spec.short, spec);
}

export function findFlag(name: string): FlagSpec | undefined {
  return BY_NAME.get(name);
}
