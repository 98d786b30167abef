// Turns zod issues into one message that names each bad field and the value it received.
import type { z } from 'zod';

/** Fields whose values are secrets: their issues are reported without the value. */
const SECRET_FIELDS = new Set(['dcapKey', 'token', 'ownerIdentity', 'CASFLOW_CODEC_KEYS']);

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

/** "name: must be at most 15 characters (got \"averyveryverylongname\")"; issues joined with "; ". */
export function describeIssues(error: z.ZodError, input: unknown, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const field = prefix + (issue.path.map(String).join('.') || '(input)');
      if (issue.code === 'unrecognized_keys') {
        return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      }
      // An issue on the whole object would echo all of it, secrets included.
      if (issue.path.length === 0) return `${field}: ${issue.message}`;
      if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return `${field}: is required`;
      const last = issue.path[issue.path.length - 1];
      if (typeof last === 'string' && SECRET_FIELDS.has(last)) return `${field}: ${issue.message} (value not shown)`;
      if (issue.message.includes('(got ')) return `${field}: ${issue.message}`;
      return `${field}: ${issue.message} (got ${render(valueAt(input, issue.path))})`;
    })
    .join('; ');
}

/** Parses with a schema, or throws InvalidInputError listing every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(`Invalid ${what}: ${describeIssues(result.error, input)}`);
}

/** Bad input: permanent, never retried; the message names each field and value. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}
