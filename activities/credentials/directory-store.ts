// Credential store in a private directory, like the plugin's $HOME/.cas: directories 0700,
// files 0600, each write a rename of a fully written temporary file.
import { mkdir, readFile, rename, rm, writeFile, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkCredentialKey, type CredentialStore } from './store.ts';

export class DirectoryCredentialStore implements CredentialStore {
  constructor(readonly root: string) {}

  describe(key: string): string {
    return `directory ${join(this.root, checkCredentialKey(key))}`;
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.root, checkCredentialKey(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(key: string, value: Buffer): Promise<void> {
    const path = join(this.root, checkCredentialKey(key));
    await this.privateDirs(dirname(path));
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, value, { mode: 0o600 });
    await rename(temporary, path);
  }

  async remove(key: string): Promise<void> {
    await rm(join(this.root, checkCredentialKey(key)), { force: true });
  }

  private async privateDirs(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode does not touch directories that already exist, and the umask may widen none.
    for (let d = dir; d.startsWith(this.root) && d !== dirname(this.root); d = dirname(d)) await chmod(d, 0o700);
  }
}
