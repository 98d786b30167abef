// `scone cas attest | provision | set-default | show-identification | show-certificate`.
import { readFile } from 'node:fs/promises';
import { OwnerConfigSyntaxError, ownerConfigFormatOf, parseOwnerConfig } from '../../domain/owner-config-format.ts';
import { CasIdentification, ROUTES } from '../cas/api.ts';
import { parseArgs, positionals, type OptionSpec } from './args.ts';
import { ATTEST_OPTIONS, attestationRequest, hex64 } from './attest-options.ts';
import { attestedCas, checkAddress, recordCas } from './cas-db.ts';
import type { CommandContext } from './context.ts';
import { EXIT, SconeCliError, usageError } from './errors.ts';
import { loadIdentity, saveIdentity } from './identity.ts';

const CAS_OPTION: OptionSpec = { key: 'cas', names: ['--cas'], kind: 'value' };

export async function casAttest(argv: string[], ctx: CommandContext): Promise<void> {
  const args = parseArgs(argv, ATTEST_OPTIONS, 'cas attest');
  const [address] = positionals(args, ['<ADDR>'], 'cas attest').map(checkAddress);
  const attestation = attestationRequest(args);
  const identity = await loadIdentity(ctx.env);

  const id = await ctx.call(ROUTES.attest, { address, caller: identity.keyHash, attestation }, CasIdentification);
  recordCas(identity, address!, id);
  await saveIdentity(identity);
  ctx.out(`CAS at ${address} is trustworthy: CAS key hash ${id.keyHash}\n`);
}

const PROVISION_OPTIONS: OptionSpec[] = [
  ...ATTEST_OPTIONS,
  { key: 'token', names: ['--token'], kind: 'value' },
  { key: 'configFile', names: ['--config-file'], kind: 'value' },
  { key: 'databaseKey', names: ['--database-key'], kind: 'value' },
];
const PROVISION_MODES = ['with-attestation', 'only_for_testing-without-attestation'];

/** Provisions with the attestation tolerations given; records and defaults the CAS on success. */
export async function casProvision(argv: string[], ctx: CommandContext): Promise<void> {
  const command = 'cas provision';
  const args = parseArgs(argv, PROVISION_OPTIONS, command);
  const [address, mode] = positionals(args, ['<ADDR>', `{${PROVISION_MODES.join('|')}}`], command);
  checkAddress(address!);
  if (!PROVISION_MODES.includes(mode!)) throw usageError(`Unknown provisioning mode '${mode}'; use with-attestation`);
  const casKeyHash = hex64(args, 'casKeyHash', '-c');
  const token = args.values.get('token');
  const configFile = args.values.get('configFile');
  if (!casKeyHash) throw usageError(`'scone ${command}' needs -c <CAS key hash>`);
  if (token === undefined) throw usageError(`'scone ${command}' needs --token <provisioning token>`);
  if (!/^[0-9a-f]{32}$/i.test(token)) throw usageError('Invalid --token: expected 32 hex digits');
  if (configFile === undefined) throw usageError(`'scone ${command}' needs --config-file <owner config>`);
  const attestation = mode === 'with-attestation' ? attestationRequest(args) : null;
  const databaseKey = hex64(args, 'databaseKey', '--database-key');

  const ownerConfig = await readConfigFile(configFile);
  const identity = await loadIdentity(ctx.env);
  const body = { address, caller: identity.keyHash, attestation, casKeyHash, token, ownerConfig, databaseKey };
  const id = await ctx.call(ROUTES.provision, body, CasIdentification);

  recordCas(identity, address!, id);
  await saveIdentity(identity);
  ctx.out(`CAS at ${address} is provisioned; this identity is its owner\n`);
}

export async function casSetDefault(argv: string[], ctx: CommandContext): Promise<void> {
  const args = parseArgs(argv, [], 'cas set-default');
  const [address] = positionals(args, ['<ADDR>'], 'cas set-default');
  const identity = await loadIdentity(ctx.env);
  attestedCas(identity, address);
  identity.config.default_cas = address;
  await saveIdentity(identity);
}

const IDENTIFICATION_OPTIONS: OptionSpec[] = [
  CAS_OPTION,
  { key: 'key', names: ['-c'], kind: 'flag' },
  { key: 'software', names: ['-s'], kind: 'flag' },
  { key: 'session', names: ['--session-encryption-key'], kind: 'flag' },
];

/** With one of -c / -s / --session-encryption-key prints just that value, else all three. */
export async function casShowIdentification(argv: string[], ctx: CommandContext): Promise<void> {
  const args = parseArgs(argv, IDENTIFICATION_OPTIONS, 'cas show-identification');
  positionals(args, [], 'cas show-identification');
  if (args.flags.size > 1) throw usageError('Pass at most one of -c, -s, --session-encryption-key');
  const id = await identification(args.values.get('cas'), ctx);

  if (args.flags.has('key')) ctx.out(`${id.keyHash}\n`);
  else if (args.flags.has('software')) ctx.out(`${id.softwareKeyHash}\n`);
  else if (args.flags.has('session')) ctx.out(`${id.sessionEncryptionKey}\n`);
  else {
    ctx.out(`CAS key: ${id.keyHash}\n`);
    ctx.out(`CAS software key: ${id.softwareKeyHash}\n`);
    ctx.out(`CAS session encryption key: ${id.sessionEncryptionKey}\n`);
  }
}

export async function casShowCertificate(argv: string[], ctx: CommandContext): Promise<void> {
  const args = parseArgs(argv, [CAS_OPTION], 'cas show-certificate');
  positionals(args, [], 'cas show-certificate');
  const id = await identification(args.values.get('cas'), ctx);
  ctx.out(id.certificate.endsWith('\n') ? id.certificate : `${id.certificate}\n`);
}

async function identification(explicit: string | undefined, ctx: CommandContext): Promise<CasIdentification> {
  const identity = await loadIdentity(ctx.env);
  const cas = attestedCas(identity, explicit);
  return ctx.call(ROUTES.identification, { ...cas, caller: identity.keyHash }, CasIdentification);
}

async function readConfigFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SconeCliError(EXIT.refused, `Cannot read --config-file '${path}': ${(err as Error).message}`);
  }
  // Like the real CLI, refuse a config it cannot parse before anything reaches the CAS.
  try {
    parseOwnerConfig(text, ownerConfigFormatOf(path));
  } catch (err) {
    if (!(err instanceof OwnerConfigSyntaxError)) throw err;
    throw new SconeCliError(EXIT.refused, `Cannot read --config-file '${path}': ${err.message}`);
  }
  return text;
}
