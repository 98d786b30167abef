// envsubst-style substitution of $VAR and ${VAR}, as the plugin documents for --owner-config.
// A '$' not followed by a name or '{' stays as it is. Values are never put into error messages.

const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export type Env = Readonly<Record<string, string | undefined>>;

/** Names of referenced variables that `env` does not define, sorted and without duplicates. */
export function undefinedVariables(text: string, env: Env): string[] {
  const missing = new Set<string>();
  for (const match of text.matchAll(REFERENCE)) {
    const name = (match[1] ?? match[2])!;
    if (env[name] === undefined) missing.add(name);
  }
  return [...missing].sort();
}

/** Replaces every reference; throws naming the undefined variables (never any value). */
export function substituteEnv(text: string, env: Env): string {
  const missing = undefinedVariables(text, env);
  if (missing.length > 0) throw new UndefinedVariablesError(missing);
  return text.replace(REFERENCE, (_match, braced: string | undefined, bare: string | undefined) => {
    return env[(braced ?? bare)!] ?? '';
  });
}

export class UndefinedVariablesError extends Error {
  override readonly name = 'UndefinedVariablesError';

  constructor(readonly variables: readonly string[]) {
    super(
      `undefined environment variable${variables.length > 1 ? 's' : ''} ${variables.map((v) => `$${v}`).join(', ')}`,
    );
  }
}
