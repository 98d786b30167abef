// Attestation options shared by `scone cas attest` and `scone cas provision ... with-attestation`.
import type { AttestationRequest } from '../cas/api.ts';
import type { OptionSpec, ParsedArgs } from './args.ts';
import { usageError } from './errors.ts';

export const ATTEST_OPTIONS: OptionSpec[] = [
  { key: 'casKeyHash', names: ['-c'], kind: 'value' },
  { key: 'softwareKeyHash', names: ['-s'], kind: 'value' },
  { key: 'C', names: ['-C', '--accept-configuration-needed'], kind: 'flag' },
  { key: 'G', names: ['-G', '--accept-group-out-of-date'], kind: 'flag' },
  { key: 'S', names: ['-S', '--accept-sw-hardening-needed'], kind: 'flag' },
  { key: 'mrsigner', names: ['--mrsigner'], kind: 'value' },
  { key: 'isvprodid', names: ['--isvprodid'], kind: 'value' },
  { key: 'isvsvn', names: ['--isvsvn'], kind: 'value' },
  { key: 'trustAny', names: ['--only_for_testing-trust-any'], kind: 'flag' },
  { key: 'debug', names: ['--only_for_testing-debug'], kind: 'flag' },
  { key: 'ignoreSigner', names: ['--only_for_testing-ignore-signer'], kind: 'flag' },
  { key: 'allowUnprovisioned', names: ['--only_for_testing_allow-unprovisioned-cas'], kind: 'flag' },
];

export function hex64(args: ParsedArgs, key: string, option: string): string | undefined {
  const value = args.values.get(key);
  if (value !== undefined && !/^[0-9a-f]{64}$/i.test(value)) {
    throw usageError(`Invalid ${option} '${value}': expected 64 hex digits`);
  }
  return value?.toLowerCase();
}

export function attestationRequest(args: ParsedArgs): AttestationRequest {
  const request: AttestationRequest = {
    acceptConfigurationNeeded: args.flags.has('C'),
    acceptGroupOutOfDate: args.flags.has('G'),
    acceptSwHardeningNeeded: args.flags.has('S'),
    casKeyHash: hex64(args, 'casKeyHash', '-c'),
    softwareKeyHash: hex64(args, 'softwareKeyHash', '-s'),
    ignoreSigner: args.flags.has('ignoreSigner'),
    trustAny: args.flags.has('trustAny'),
    debug: args.flags.has('debug'),
    allowUnprovisioned: args.flags.has('allowUnprovisioned'),
  };

  const mrsigner = hex64(args, 'mrsigner', '--mrsigner');
  const [prodId, svn] = [args.values.get('isvprodid'), args.values.get('isvsvn')];
  if (mrsigner === undefined) {
    if (prodId !== undefined || svn !== undefined) throw usageError('--isvprodid and --isvsvn need --mrsigner');
    return request;
  }
  if (prodId === undefined || svn === undefined) throw usageError('--mrsigner needs --isvprodid and --isvsvn');
  return {
    ...request,
    signer: { mrsigner, isvprodid: integer(prodId, '--isvprodid'), isvsvn: integer(svn, '--isvsvn') },
  };
}

function integer(value: string, option: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw usageError(`Invalid ${option} '${value}': expected an integer from 0 to 65535`);
  }
  return Number(value);
}
