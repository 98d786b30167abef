// Finds the kubeconfig the way kubectl does: --kubeconfig, else $KUBECONFIG (a path list), else
// ~/.kube/config, else the in-cluster service account. Reads files only; contacts no server.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from './cli-error.ts';
import type { Env } from './env-subst.ts';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function loadFile(config: KubeConfig, path: string, source: string): void {
  try {
    config.loadFromFile(path);
  } catch (error) {
    throw new UsageError(`Invalid ${source}: cannot load kubeconfig "${path}" (${(error as Error).message})`);
  }
}

function load(options: { kubeconfig?: string; env: Env }): KubeConfig {
  const config = new KubeConfig();
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) {
      throw new UsageError(`Invalid --kubeconfig: file "${options.kubeconfig}" does not exist`);
    }
    loadFile(config, options.kubeconfig, '--kubeconfig');
    return config;
  }

  const listed = (options.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length > 0) {
    // kubectl skips missing entries of the list; so do we, but one must exist.
    const present = listed.filter((path) => existsSync(path));
    if (present.length === 0) throw new UsageError(`Invalid KUBECONFIG: no such file "${listed.join(delimiter)}"`);
    loadFile(config, present[0]!, 'KUBECONFIG');
    for (const path of present.slice(1)) {
      const more = new KubeConfig();
      loadFile(more, path, 'KUBECONFIG');
      config.mergeConfig(more);
    }
    return config;
  }

  const home = options.env.HOME ?? options.env.USERPROFILE;
  const homeConfig = home ? join(home, '.kube', 'config') : undefined;
  if (homeConfig && existsSync(homeConfig)) {
    loadFile(config, homeConfig, 'kubeconfig');
    return config;
  }
  if (existsSync(SERVICE_ACCOUNT_TOKEN)) {
    config.loadFromCluster();
    return config;
  }
  throw new UsageError('No kubeconfig found: set KUBECONFIG, pass --kubeconfig FILE, or create ~/.kube/config');
}

/** Loads the kubeconfig and selects the context; throws UsageError naming the source. */
export function loadKubeConfig(options: { kubeconfig?: string; context?: string; env: Env }): KubeConfig {
  const config = load(options);
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      throw new UsageError(`Invalid --context: no context "${options.context}" in the kubeconfig`);
    }
    config.setCurrentContext(options.context);
  }
  if (!config.getCurrentCluster()) {
    throw new UsageError('The kubeconfig has no current context with a cluster: pass --context NAME');
  }
  return config;
}
