// The shapes of the running test servers (docs/CONTRACTS.md); plain data, so the test harness can
// hand them to test processes as JSON.

export interface KubeServer {
  url: string;
  /** Bearer token of a user in system:masters. */
  token: string;
  /** The API server's self-signed certificate bundle, to trust as CA. */
  caFile: string;
  kubeconfigPath: string;
  certDir: string;
}

export interface TemporalServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  uiUrl?: string;
  namespace: 'default';
}

export interface S3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface TestServers {
  kube: KubeServer;
  temporal: TemporalServer;
  s3: S3Server;
  logDir: string;
  stateDir: string;
  stop(): Promise<void>;
}
