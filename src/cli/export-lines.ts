// The plugin's --print-public-keys output: export lines a shell can eval.
import type { CasKeys } from '../domain/provision-cas.ts';

/** Double-quoted for sh: only \ " $ ` need escaping; newlines (the PEM) stay as they are. */
export function shellDoubleQuote(value: string): string {
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

export function exportLines(keys: CasKeys): string[] {
  return [
    `export CAS_KEY=${shellDoubleQuote(keys.casKey)}`,
    `export CAS_SOFTWARE_KEY=${shellDoubleQuote(keys.casSoftwareKey)}`,
    `export CAS_SESSION_ENCRYPTION_KEY=${shellDoubleQuote(keys.casSessionEncryptionKey)}`,
    `export CAS_CERT=${shellDoubleQuote(keys.casCertificate.trimEnd())}`,
  ];
}
