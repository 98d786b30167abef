// A kubeconfig for the test API server, for real kubectl and for @kubernetes/client-node.
import { KubeConfig } from '@kubernetes/client-node';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { KubeServer } from './types.ts';

const names = { cluster: 'casflow-test', user: 'casflow-test-admin', context: 'casflow-test' };

/** Writes kube.kubeconfigPath (mode 0600: it holds the admin token). */
export async function writeKubeconfig(kube: KubeServer): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: names.cluster, cluster: { server: kube.url, 'certificate-authority': kube.caFile } }],
    users: [{ name: names.user, user: { token: kube.token } }],
    contexts: [{ name: names.context, context: { cluster: names.cluster, user: names.user, namespace: 'default' } }],
    'current-context': names.context,
  };
  await writeFile(kube.kubeconfigPath, stringify(config), { mode: 0o600 });
}

/** A client configuration for the test API server, authenticated as its admin. */
export function kubeConfigFor(kube: KubeServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: names.cluster, server: kube.url, caFile: kube.caFile, skipTLSVerify: false }],
    users: [{ name: names.user, token: kube.token }],
    contexts: [{ name: names.context, cluster: names.cluster, user: names.user, namespace: 'default' }],
    currentContext: names.context,
  });
  return kc;
}
