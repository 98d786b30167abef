// Strict argument parsing, shaped like the plugin's: `provision SVC [NAME] [flags]`, flags anywhere,
// a value flag takes the next word even when it starts with '-' (e.g. --set-tolerations "--accept-...").
import { UsageError } from './cli-error.ts';
import { findFlag, UNSUPPORTED_FLAGS, type FlagValues } from './flags.ts';

export interface ParsedArgs {
  /** Words that are not flags or flag values, in order: command, SVC, NAME. */
  positionals: string[];
  values: Partial<FlagValues>;
}

function splitInline(word: string): [string, string | undefined] {
  if (!word.startsWith('--')) return [word, undefined];
  const eq = word.indexOf('=');
  return eq < 0 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
}

/** Parses argv (without node and script); `helpHint` goes under usage errors. */
export function parseArgs(argv: readonly string[], helpHint: string): ParsedArgs {
  const positionals: string[] = [];
  const values: Record<string, string | boolean> = {};

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }

    const [name, inline] = splitInline(word);
    if (UNSUPPORTED_FLAGS.has(name)) {
      throw new UsageError(`Flag ${name} is not supported yet by casflow`, helpHint);
    }
    const spec = findFlag(name);
    if (!spec) throw new UsageError(`Unknown flag ${name}`, helpHint);

    if (spec.value === undefined) {
      if (inline !== undefined) throw new UsageError(`Flag ${name} takes no value (got "${inline}")`, helpHint);
      values[spec.key] = true;
      continue;
    }
    if (inline !== undefined) {
      values[spec.key] = inline;
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`Flag ${name} needs a value: ${spec.value}`, helpHint);
    values[spec.key] = next;
    i++;
  }

  return { positionals, values: values as Partial<FlagValues> };
}
