// Recognising API server answers in errors from @kubernetes/client-node 1.4 (ApiException carries `code`).
import { ApiException } from '@kubernetes/client-node';

/** True when `err` is an API server answer with HTTP status `code`. */
export function isApiStatus(err: unknown, code: number): boolean {
  return err instanceof ApiException && err.code === code;
}

/** Runs `call`, mapping a 404 to `undefined`. */
export async function orNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isApiStatus(err, 404)) return undefined;
    throw err;
  }
}

/** Runs `call`, ignoring a 404 (already gone) and a 409 (already there). */
export async function ignoreGoneOrExists(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isApiStatus(err, 404) && !isApiStatus(err, 409)) throw err;
  }
}

/** A compact rendering of an API error for logs (ApiException's message carries headers and body). */
export function briefError(err: unknown): { code?: number; message: string } {
  if (err instanceof ApiException) {
    const body = err.body as string | { message?: string } | undefined;
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
    const message = /"message":"([^"]*)"/.exec(text)?.[1] ?? err.message.split('\n')[0] ?? '';
    return { code: err.code, message };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}
