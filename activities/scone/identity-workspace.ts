// Materialises a CAS owner identity from the credential store into a private temporary directory
// for the scone CLI, writes back what the CLI changed (attested CAS entries), and removes it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialKeys, type CredentialStore } from '../credentials/store.ts';
import { permanent, PermanentFailure } from '../errors.ts';

export interface IdentityWorkspace {
  dir: string;
  /** The identity file's content as the CLI left it. */
  readIdentity(): Promise<string>;
}

export async function withOwnerIdentity<T>(
  store: CredentialStore,
  target: { namespace: string; name: string },
  fn: (workspace: IdentityWorkspace) => Promise<T>,
): Promise<T> {
  const key = credentialKeys.ownerIdentity(target.namespace, target.name);
  const stored = await store.read(key);
  if (!stored) {
    throw permanent(
      PermanentFailure.missingCredential,
      `No owner identity for CAS ${target.name} in namespace ${target.namespace} at ${store.describe(key)}`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'casflow-identity-')); // mkdtemp creates it 0700
  const file = join(dir, 'config.json');
  try {
    await writeFile(file, stored, { mode: 0o600 });
    const result = await fn({ dir, readIdentity: () => readFile(file, 'utf8') });
    const after = await readFile(file);
    if (!after.equals(stored)) await store.write(key, after);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A fresh private directory without identity, for creating one. */
export async function withEmptyWorkspace<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'casflow-identity-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
