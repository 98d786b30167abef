// A small argv parser for the scone stand-in: long and short options, `--opt=value`,
// clustered short flags (`-SCG`, as the backup policy's `register-backup -SCG` uses) and
// options anywhere among the positionals (the plugin puts attestation flags after
// `with-attestation`). No shell is involved: values are taken verbatim.
import { usageError } from './errors.ts';

export interface OptionSpec {
  /** Key under which the value is reported. */
  key: string;
  /** Spellings, e.g. ['-C', '--accept-configuration-needed']. */
  names: string[];
  kind: 'flag' | 'value' | 'list';
}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
  lists: Map<string, string[]>;
}

export function parseArgs(argv: string[], specs: OptionSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.flatMap((s) => s.names.map((n) => [n, s] as const)));
  const out: ParsedArgs = { positionals: [], flags: new Set(), values: new Map(), lists: new Map() };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }

    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(name);
    if (!spec) {
      if (expandCluster(arg, byName, out)) continue;
      throw usageError(`Unknown option '${name}' for 'scone ${command}'`);
    }
    if (spec.kind === 'flag') {
      if (eq > 0) throw usageError(`Option '${name}' takes no value`);
      out.flags.add(spec.key);
      continue;
    }

    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw usageError(`Option '${name}' needs a value`);
    if (spec.kind === 'value') out.values.set(spec.key, value);
    else out.lists.set(spec.key, [...(out.lists.get(spec.key) ?? []), value]);
  }
  return out;
}

// `-SCG` = `-S -C -G`, only when every letter is a known flag.
function expandCluster(arg: string, byName: Map<string, OptionSpec>, out: ParsedArgs): boolean {
  if (!/^-[A-Za-z]{2,}$/.test(arg)) return false;
  const specs = [...arg.slice(1)].map((c) => byName.get(`-${c}`));
  if (!specs.every((s) => s?.kind === 'flag')) return false;
  for (const s of specs) out.flags.add(s!.key);
  return true;
}

/** Exactly `count` positionals named by `names`, or a usage error. */
export function positionals(args: ParsedArgs, names: string[], command: string): string[] {
  if (args.positionals.length !== names.length) {
    const got = args.positionals.length === 0 ? 'none' : args.positionals.map((p) => `'${p}'`).join(' ');
    throw usageError(`'scone ${command}' expects ${names.join(' ')}; got ${got}`);
  }
  return args.positionals;
}
