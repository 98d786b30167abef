// The CAS public keys as `scone cas show-identification` and `show-certificate` print them, for
// the CAS the identity in `identityDir` last attested.
import type { CasKeys } from '../../src/domain/provision-cas.ts';
import { runScone, type SconeCliOptions } from './scone-cli.ts';

export async function showCasKeys(scone: SconeCliOptions, identityDir: string): Promise<CasKeys> {
  const show = async (command: string, ...args: string[]) =>
    (await runScone(scone, { command: ['cas', command], args, identityDir })).trim();
  return {
    casKey: await show('show-identification', '-c'),
    casSoftwareKey: await show('show-identification', '-s'),
    casSessionEncryptionKey: await show('show-identification', '--session-encryption-key'),
    casCertificate: await show('show-certificate'),
  };
}
