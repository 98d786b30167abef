// The real kubectl against the test API server, for the deploy/ tests.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureBinary } from '../../src/sandbox/binaries.ts';
import type { KubeServer } from '../../src/sandbox/servers/index.ts';
import { repoRoot } from './compose-file.ts';

const run = promisify(execFile);

export interface KubectlResult {
  stdout: string;
  stderr: string;
}

/** Runs kubectl in the repository root; stdin, when given, is written to the child. */
export async function kubectl(kube: KubeServer | undefined, args: string[], stdin?: string): Promise<KubectlResult> {
  const bin = await ensureBinary('kubectl');
  const withConfig = kube ? ['--kubeconfig', kube.kubeconfigPath, ...args] : args;
  const child = run(bin, withConfig, { cwd: repoRoot, timeout: 60_000, maxBuffer: 8 * 1024 * 1024 });
  if (stdin !== undefined) child.child.stdin?.end(stdin);
  return child;
}

/** deploy/ as `kubectl apply -k deploy/` would send it. */
export async function renderDeploy(): Promise<string> {
  return (await kubectl(undefined, ['kustomize', 'deploy/'])).stdout;
}
