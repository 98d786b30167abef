// `scone session create | update | verify FILE` and `scone session read NAME`, against
// `--cas ADDR` (or `-c ADDR`) or the default CAS.
import { ROUTES, SessionHashReply, SessionReadReply } from '../cas/api.ts';
import { parseArgs, positionals, type OptionSpec } from './args.ts';
import { attestedCas } from './cas-db.ts';
import type { CommandContext } from './context.ts';
import { loadIdentity } from './identity.ts';
import { readSessionFile } from './session-file.ts';

const CAS_OPTION: OptionSpec = { key: 'cas', names: ['-c', '--cas'], kind: 'value' };
const FILE_OPTIONS: OptionSpec[] = [
  CAS_OPTION,
  { key: 'useEnv', names: ['--use-env'], kind: 'flag' },
  { key: 'env', names: ['-e'], kind: 'list' },
];

const FILE_ROUTES = {
  create: ROUTES.sessionCreate,
  update: ROUTES.sessionUpdate,
  verify: ROUTES.sessionVerify,
} as const;

/** Sends the session file; prints the hash the CAS reports (the new one, or for verify the stored one). */
export async function sessionFromFile(
  verb: keyof typeof FILE_ROUTES,
  argv: string[],
  ctx: CommandContext,
): Promise<void> {
  const command = `session ${verb}`;
  const args = parseArgs(argv, FILE_OPTIONS, command);
  const [file] = positionals(args, ['<FILE>'], command);
  const substitution = { useEnv: args.flags.has('useEnv'), assignments: args.lists.get('env') ?? [] };
  const { text } = await readSessionFile(file!, substitution, ctx.env);

  const identity = await loadIdentity(ctx.env);
  const cas = attestedCas(identity, args.values.get('cas'));
  const body = { ...cas, caller: identity.keyHash, body: text };
  const reply = await ctx.call(FILE_ROUTES[verb], body, SessionHashReply);
  ctx.out(`${reply.hash}\n`);
}

/** Prints the stored session text. */
export async function sessionRead(argv: string[], ctx: CommandContext): Promise<void> {
  const args = parseArgs(argv, [CAS_OPTION], 'session read');
  const [name] = positionals(args, ['<NAME>'], 'session read');

  const identity = await loadIdentity(ctx.env);
  const cas = attestedCas(identity, args.values.get('cas'));
  const reply = await ctx.call(ROUTES.sessionRead, { ...cas, caller: identity.keyHash, name }, SessionReadReply);
  ctx.out(reply.body.endsWith('\n') ? reply.body : `${reply.body}\n`);
}
