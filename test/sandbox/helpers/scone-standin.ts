// Starts the CAS stand-in service with a fresh registry and the real `scone` wrapper, and
// runs the wrapper as a child process (no shell) with a private identity file.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CasRegistry, type CasInstanceState } from '../../../src/sandbox/cas/registry.ts';
import { startCasService, type CasServiceOptions } from '../../../src/sandbox/cas/service.ts';
import { writeSconeWrapper } from '../../../src/sandbox/scone/install.ts';

export interface SconeResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SconeSandbox {
  registry: CasRegistry;
  serviceUrl: string;
  bin: string;
  dir: string;
  /** Runs scone as `identity` (a name; each gets its own SCONE_CLI_CONFIG). */
  scone(identity: string, args: string[], env?: Record<string, string>): Promise<SconeResult>;
  configPath(identity: string): string;
  /** Writes a file into the sandbox dir and returns its path. */
  file(name: string, text: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startSconeSandbox(opts: Partial<CasServiceOptions> = {}): Promise<SconeSandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'casflow-scone-'));
  const registry = opts.registry ?? new CasRegistry();
  const service = await startCasService({ ...opts, registry });
  const bin = await writeSconeWrapper(join(dir, 'bin'), service.url);
  const configPath = (identity: string) => join(dir, 'identities', identity, 'config.json');

  return {
    registry,
    serviceUrl: service.url,
    bin,
    dir,
    configPath,
    scone: (identity, args, env = {}) =>
      run(bin, args, { PATH: process.env.PATH ?? '', HOME: dir, SCONE_CLI_CONFIG: configPath(identity), ...env }),
    file: async (name, text) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    stop: async () => {
      await service.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function run(bin: string, args: string[], env: Record<string, string>): Promise<SconeResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Value of the last whitespace field of the first log line containing `phrase`, as the plugin greps it. */
export function grepLog(state: CasInstanceState, phrase: string): string {
  const line = state.logLines.find((l) => l.includes(phrase));
  if (!line) throw new Error(`No log line with '${phrase}' for CAS ${state.namespace}/${state.name}`);
  return line.trim().split(/\s+/).at(-1)!;
}

export const TOLERATIONS = [
  '--accept-configuration-needed',
  '--accept-group-out-of-date',
  '--accept-sw-hardening-needed',
];

export async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** Arguments of `scone cas provision ADDR … with-attestation` for a stand-in instance. */
export function provisionArgs(address: string, cas: CasInstanceState, configFile: string): string[] {
  return [
    'cas',
    'provision',
    address,
    '-c',
    cas.keyHash,
    '--token',
    cas.provisioningToken,
    '--config-file',
    configFile,
    'with-attestation',
    ...TOLERATIONS,
  ];
}
