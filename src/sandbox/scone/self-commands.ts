// `scone self show-key-hash`: the hash that identifies this CLI's identity to a CAS (and
// that the plugin puts into policies as the owner).
import { parseArgs, positionals } from './args.ts';
import type { CommandContext } from './context.ts';
import { loadIdentity } from './identity.ts';

export async function selfShowKeyHash(argv: string[], ctx: CommandContext): Promise<void> {
  positionals(parseArgs(argv, [], 'self show-key-hash'), [], 'self show-key-hash');
  const identity = await loadIdentity(ctx.env);
  ctx.out(`${identity.keyHash}\n`);
}
