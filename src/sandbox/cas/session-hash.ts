// A session's hash is the sha256 of its canonical text: the parsed YAML as JSON with keys
// sorted at every level. Layout, comments and key order therefore do not change the hash;
// any value (including `predecessor`) does.
import { createHash } from 'node:crypto';
import { parse } from 'yaml';

export function canonicalText(doc: unknown): string {
  return JSON.stringify(sortKeys(doc));
}

export function sessionHash(doc: unknown): string {
  return createHash('sha256').update(canonicalText(doc)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/** Hash of session YAML text as stored. */
export function sessionTextHash(text: string): string {
  return sessionHash(parse(text));
}

/** True when two session texts say the same thing. */
export function sameSession(a: string, b: string): boolean {
  return canonicalText(parse(a)) === canonicalText(parse(b));
}
