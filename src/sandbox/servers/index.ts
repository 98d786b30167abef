// The real test servers (docs/CONTRACTS.md, "Test servers"). Each start function also works
// alone, e.g. startTemporal({ logDir, dbFile }) for a test that restarts Temporal.
export type { KubeServer, S3Server, TemporalServer, TestServers } from './types.ts';
export { startTestServers, type StartTestServersOptions } from './start-test-servers.ts';
export { useTestServers, testServersEnvVar } from './use-test-servers.ts';
export { kubeConfigFor, writeKubeconfig } from './kubeconfig.ts';
export { startEtcd, type EtcdOptions, type EtcdServer } from './etcd.ts';
export { startKubeApiserver, type KubeApiserver, type KubeApiserverOptions } from './kube-apiserver.ts';
export { startTemporal, casflowSearchAttributes, type TemporalDevServer, type TemporalOptions } from './temporal.ts';
export { startVersitygw, type Versitygw, type VersitygwOptions } from './versitygw.ts';
export { ServerDiedError, ServerExitedError, ServerNotReadyError, TestServersEnvError } from './errors.ts';
