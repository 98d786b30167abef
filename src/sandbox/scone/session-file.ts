// Reads a session file for `scone session create|update|verify`. With `--use-env` (or any
// `-e VAR=VAL`) `$VAR` and `${VAR}` are replaced first, `-e` values winning over the
// environment; a variable that has no value is an error rather than an empty string, since
// an empty MRENCLAVE or owner identity would make a session that silently admits nobody.
import { readFile } from 'node:fs/promises';
import { CasRefusedError } from '../cas/errors.ts';
import { parseSessionText } from '../cas/session-doc.ts';
import { EXIT, SconeCliError, usageError } from './errors.ts';

export interface SubstitutionOptions {
  useEnv: boolean;
  /** `-e VAR=VAL` arguments as given. */
  assignments: string[];
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** The session text to send, after substitution, checked locally for a usable name and version. */
export async function readSessionFile(
  file: string,
  opts: SubstitutionOptions,
  env: NodeJS.ProcessEnv,
): Promise<{ text: string; name: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SconeCliError(EXIT.refused, `Cannot read session file '${file}': ${(err as Error).message}`);
  }

  const vars = variables(opts, env);
  if (vars) text = substitute(text, vars, file);

  try {
    return { text, name: parseSessionText(text).name };
  } catch (err) {
    if (err instanceof CasRefusedError) throw new SconeCliError(EXIT.refused, `Session file '${file}': ${err.message}`);
    throw err;
  }
}

function variables(opts: SubstitutionOptions, env: NodeJS.ProcessEnv): Map<string, string> | undefined {
  if (!opts.useEnv && opts.assignments.length === 0) return undefined;
  const vars = new Map<string, string>();
  if (opts.useEnv) for (const [k, v] of Object.entries(env)) if (v !== undefined) vars.set(k, v);
  for (const a of opts.assignments) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (!m) throw usageError(`Option -e expects VAR=VALUE; got '${a}'`);
    vars.set(m[1]!, m[2]!);
  }
  return vars;
}

function substitute(text: string, vars: Map<string, string>, file: string): string {
  return text.replace(VARIABLE, (_match, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = vars.get(name);
    if (value === undefined)
      throw new SconeCliError(EXIT.refused, `Session file '${file}' uses $${name}, which is not set`);
    return value;
  });
}
