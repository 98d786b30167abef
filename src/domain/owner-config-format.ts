// Reading an owner config the way `scone cas provision --config-file` accepts it: TOML (what the
// plugin writes), JSON or YAML, chosen by the file name. Kept out of owner-config.ts so that the
// parsers never reach code that does not need them.
import { parse as parseToml, TomlError } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

export type OwnerConfigFormat = 'toml' | 'json' | 'yaml';

export function ownerConfigFormatOf(fileName: string): OwnerConfigFormat {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  return 'toml';
}

export class OwnerConfigSyntaxError extends Error {
  override readonly name = 'OwnerConfigSyntaxError';
}

/**
 * Parses an owner config; throws OwnerConfigSyntaxError with the position only: the text can hold
 * the DCAP key, so no excerpt of it goes into the message.
 */
export function parseOwnerConfig(text: string, format: OwnerConfigFormat): Record<string, unknown> {
  let parsed: unknown;
  try {
    if (format === 'toml') parsed = parseToml(text);
    else if (format === 'json') parsed = JSON.parse(text);
    else parsed = parseYaml(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : positionOf(error);
    throw new OwnerConfigSyntaxError(`not valid ${format.toUpperCase()}${where}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OwnerConfigSyntaxError(`not a ${format.toUpperCase()} table of settings`);
  }
  return parsed as Record<string, unknown>;
}

/** The [dcap] subscription_key, if the config has one. */
export function dcapKeyOfConfig(config: Record<string, unknown>): string | undefined {
  const key = (config.dcap as { subscription_key?: unknown } | undefined)?.subscription_key;
  return typeof key === 'string' ? key : undefined;
}

function positionOf(error: unknown): string {
  const linePos = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  if (linePos) return ` at line ${linePos.line}, column ${linePos.col}`;
  const json = /position (\d+)/.exec((error as Error).message ?? '');
  return json ? ` at character ${json[1]}` : '';
}
