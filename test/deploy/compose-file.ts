// Reads docker-compose.yml as `docker compose` would see it with no variables set: every
// ${NAME:-default} becomes its default, ${NAME} becomes empty, $$ a literal $.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  entrypoint?: string[];
  user?: string;
  restart?: string;
  read_only?: boolean;
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Replaces compose variables by their defaults; nested ${...} in a default is not supported. */
export function interpolateDefaults(text: string): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (match, _name, fallback?: string) =>
    match === '$$' ? '$' : (fallback ?? ''),
  );
}

export async function readComposeFile(): Promise<ComposeFile> {
  const text = await readFile(`${repoRoot}docker-compose.yml`, 'utf8');
  return parse(interpolateDefaults(text), { merge: true }) as ComposeFile;
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}
