// The CLI's state file, as the real CLI keeps it: `SCONE_CLI_CONFIG`, else
// `$HOME/.cas/config.json`, with `identity` (the private key that is the owner identity once
// this CLI provisions a CAS), `default_cas`, `cas_db` (attested CAS instances) and
// `session_signing_keypair_ed25519_seed`. Created 0600 in a 0700 directory on first use.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { EXIT, SconeCliError } from './errors.ts';

const CasDbEntry = z
  .object({
    url: z.string(),
    chain: z.string().optional(),
    cas_key_hash: z.string().optional(),
    cas_software_key_hash: z.string().optional(),
  })
  .passthrough();
export type CasDbEntry = z.infer<typeof CasDbEntry>;

// passthrough: the plugin edits this file with jq and copies parts of it elsewhere; keys this
// stand-in does not know must survive a rewrite.
const CliConfig = z
  .object({
    identity: z.string(),
    default_cas: z.string().nullish(),
    cas_db: z.record(z.string(), CasDbEntry).default({}),
    session_signing_keypair_ed25519_seed: z.string().optional(),
  })
  .passthrough();
export type CliConfig = z.infer<typeof CliConfig>;

export interface LoadedIdentity {
  path: string;
  config: CliConfig;
  /** sha256 (hex) of the identity's public key: what `self show-key-hash` prints. */
  keyHash: string;
}

export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.SCONE_CLI_CONFIG) return env.SCONE_CLI_CONFIG;
  if (env.HOME) return join(env.HOME, '.cas', 'config.json');
  throw new SconeCliError(EXIT.refused, 'Neither SCONE_CLI_CONFIG nor HOME is set; cannot locate the CLI identity');
}

/** Reads the CLI state, creating a fresh identity when the file does not exist. */
export async function loadIdentity(env: NodeJS.ProcessEnv): Promise<LoadedIdentity> {
  const path = configPath(env);
  const text = await readOrCreate(path);

  let config: CliConfig;
  try {
    config = CliConfig.parse(JSON.parse(text));
  } catch (err) {
    throw new SconeCliError(EXIT.refused, `CLI config '${path}' is not a valid scone CLI config`, { cause: err });
  }
  return { path, config, keyHash: keyHashOf(config.identity, path) };
}

/** Rewrites the CLI state atomically, keeping it 0600. */
export async function saveIdentity({ path, config }: LoadedIdentity): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

async function readOrCreate(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SconeCliError(EXIT.refused, `Cannot read CLI config '${path}': ${(err as Error).message}`);
    }
  }

  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify(freshConfig(), null, 2)}\n`;
  try {
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
    return text;
  } catch (err) {
    // Another process created it first; use theirs so both agree on one identity.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFile(path, 'utf8');
    throw new SconeCliError(EXIT.refused, `Cannot create CLI config '${path}': ${(err as Error).message}`);
  }
}

function freshConfig(): CliConfig {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    identity: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    default_cas: null,
    cas_db: {},
    session_signing_keypair_ed25519_seed: randomBytes(32).toString('hex'),
  };
}

function keyHashOf(identity: string, path: string): string {
  try {
    const spki = createPublicKey(createPrivateKey(identity)).export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(spki).digest('hex');
  } catch (err) {
    throw new SconeCliError(EXIT.refused, `CLI config '${path}' holds no usable identity key`, { cause: err });
  }
}
