// Session (policy) documents: YAML with `name`, `version`, optional `predecessor` and
// `access_policy`, and whatever else SCONE defines (services, secrets, images, security...).
// Only the fields the CAS stand-in acts on are checked; the rest is kept as written.
import { parse } from 'yaml';
import { z } from 'zod';
import { CasRefusedError } from './errors.ts';

const SESSION_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

const SessionDoc = z
  .object({
    name: z.string().regex(SESSION_NAME, 'expected segments of letters, digits, _ . - separated by /'),
    version: z.union([z.string(), z.number()]).transform(String),
    predecessor: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'expected 64 hex digits or nothing')
      .nullish(),
    access_policy: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type SessionDoc = z.infer<typeof SessionDoc>;

/** Parses session text; throws a 'bad-request' refusal naming the bad field. */
export function parseSessionText(text: string): SessionDoc {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new CasRefusedError('bad-request', `Session is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = SessionDoc.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || '(document)';
    throw new CasRefusedError('bad-request', `Session field '${field}' is invalid: ${issue.message}`);
  }
  if (!result.data.version.startsWith('0.3')) {
    throw new CasRefusedError('bad-request', `Session version '${result.data.version}' is not supported; use "0.3.10"`);
  }
  return result.data;
}
