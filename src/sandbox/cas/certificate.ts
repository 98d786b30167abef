import { spawnSync } from 'node:child_process';
import { X509Certificate, createHash, randomBytes } from 'node:crypto';

export interface SelfSigned {
  /** PEM text of the certificate. */
  pem: string;
  /** sha256 (hex) of the certificate's public key (DER SubjectPublicKeyInfo). */
  publicKeyHash: string;
}

/**
 * A self-signed P-256 certificate made by `openssl req -x509` (Node cannot build certificates
 * itself). Without openssl a PEM-shaped stand-in with a random key hash is returned, so the
 * sandbox still runs; nothing in casflow checks the signature of these certificates.
 */
export function selfSignedCertificate(commonName: string, altNames: string[] = []): SelfSigned {
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  args.push('-keyout', '/dev/null', '-subj', `/CN=${commonName}`, '-days', '3650');
  if (altNames.length > 0) args.push('-addext', `subjectAltName=${altNames.map((n) => `DNS:${n}`).join(',')}`);
  const run = spawnSync('openssl', args, { encoding: 'utf8', timeout: 10_000 });
  if (run.status === 0 && run.stdout.includes('BEGIN CERTIFICATE')) {
    const spki = new X509Certificate(run.stdout).publicKey.export({ type: 'spki', format: 'der' });
    return { pem: run.stdout, publicKeyHash: createHash('sha256').update(spki).digest('hex') };
  }
  return { pem: pemShaped('CERTIFICATE', randomBytes(420)), publicKeyHash: randomHex(32) };
}

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Wraps bytes in PEM armour with 64-column lines. */
export function pemShaped(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
