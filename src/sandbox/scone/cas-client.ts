// HTTP client of the scone stand-in for the CAS stand-in service. The service URL comes
// from SCONE_SANDBOX_CAS_URL, which the `scone` wrapper sets.
import type { z } from 'zod';
import { ErrorReply } from '../cas/api.ts';
import { EXIT, SconeCliError } from './errors.ts';

export type CasCall = <T extends z.ZodTypeAny>(route: string, body: object, reply: T) => Promise<z.infer<T>>;

export function casClient(env: NodeJS.ProcessEnv): CasCall {
  return async (route, body, reply) => {
    const base = env.SCONE_SANDBOX_CAS_URL;
    if (!base) {
      throw new SconeCliError(
        EXIT.unreachable,
        'SCONE_SANDBOX_CAS_URL is not set; the scone stand-in needs the URL of the casflow CAS stand-in service',
      );
    }

    let res: Response;
    try {
      res = await fetch(new URL(route, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (err) {
      throw new SconeCliError(EXIT.unreachable, `Cannot reach the CAS stand-in service at ${base}`, { cause: err });
    }

    const json: unknown = await res.json().catch(() => undefined);
    if (res.ok) return reply.parse(json);
    const error = ErrorReply.safeParse(json);
    if (!error.success) throw new SconeCliError(EXIT.refused, `CAS stand-in service answered HTTP ${res.status}`);
    const code = error.data.error.kind === 'unknown-cas' ? EXIT.unreachable : EXIT.refused;
    throw new SconeCliError(code, error.data.error.message);
  };
}
