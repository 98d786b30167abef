// Reads the --owner-config file and substitutes environment variables in it. The content may hold
// secrets (DCAP key, audit-log credentials): it goes only into the input Secret, never into messages.
import { stringify as stringifyToml } from 'smol-toml';
import { OwnerConfigSyntaxError, ownerConfigFormatOf, parseOwnerConfig } from '../domain/owner-config-format.ts';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './cli-error.ts';
import { substituteEnv, UndefinedVariablesError, type Env } from './env-subst.ts';

/** Kubernetes caps a Secret at 1 MiB; an owner config is a few hundred bytes. */
const MAX_BYTES = 512 * 1024;

function problem(path: string, what: string): UsageError {
  return new UsageError(`Invalid --owner-config: ${what.replace('%s', () => JSON.stringify(path))}`);
}

async function readBytes(path: string, absolute: string): Promise<Buffer> {
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw problem(path, 'file %s does not exist');
    throw problem(path, `file %s cannot be read (${code ?? String(error)})`);
  }
  if (info.isDirectory()) throw problem(path, '%s is a directory, not a file');
  if (info.size > MAX_BYTES) throw problem(path, `file %s is larger than ${MAX_BYTES / 1024} KiB`);

  try {
    return await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw problem(path, `file %s is not readable (${code})`);
    throw problem(path, `file %s cannot be read (${code ?? String(error)})`);
  }
}

/** Reads `path` (relative to `cwd`) and substitutes $VAR / ${VAR} from `env`. */
export async function readOwnerConfig(path: string, cwd: string, env: Env): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw problem(path, 'URLs are not supported yet by casflow; download the file and pass its path (got %s)');
  }

  const bytes = await readBytes(path, resolve(cwd, path));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw problem(path, 'file %s is not UTF-8 text');
  }
  if (text.trim() === '') throw problem(path, 'file %s is empty');

  let substituted: string;
  try {
    substituted = substituteEnv(text, env);
  } catch (error) {
    if (error instanceof UndefinedVariablesError) throw problem(path, `file %s uses ${error.message}`);
    throw error;
  }
  const format = ownerConfigFormatOf(path);
  let parsed: Record<string, unknown>;
  try {
    parsed = parseOwnerConfig(substituted, format);
  } catch (error) {
    if (error instanceof OwnerConfigSyntaxError) throw problem(path, `file %s is ${error.message}`);
    throw error;
  }
  // The worker hands the CLI a .toml file; JSON and YAML configs travel converted to TOML.
  return format === 'toml' ? substituted : stringifyToml(parsed);
}
