// How a test gets servers: the harness's (scripts/test.ts hands them over in CASFLOW_TEST_SERVERS),
// or, when a test file is run on its own, a set started for this process alone.
import { z } from 'zod';
import { TestServersEnvError } from './errors.ts';
import { startTestServers } from './start-test-servers.ts';
import type { TestServers } from './types.ts';

/** The environment variable the harness sets; its value is JSON of TestServers without stop(). */
export const testServersEnvVar = 'CASFLOW_TEST_SERVERS';

const HandedServers = z.object({
  kube: z.object({
    url: z.string().url(),
    token: z.string().min(1),
    caFile: z.string().min(1),
    kubeconfigPath: z.string().min(1),
    certDir: z.string().min(1),
  }),
  temporal: z.object({
    address: z.string().min(1),
    uiUrl: z.string().url().optional(),
    namespace: z.literal('default'),
  }),
  s3: z.object({
    endpoint: z.string().url(),
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    region: z.string().min(1),
  }),
  logDir: z.string().min(1),
  stateDir: z.string().min(1),
});

let own: Promise<TestServers> | undefined;

/** The harness's servers (their stop() does nothing: the harness owns them), or this process's own. */
export function useTestServers(): Promise<TestServers> {
  const handed = process.env[testServersEnvVar];
  if (handed) return Promise.resolve({ ...parseHanded(handed), stop: async () => undefined });

  own ??= startTestServers().then((servers) => {
    // The server processes do not hold the event loop open, so this runs when the tests are done.
    process.once('beforeExit', () => void servers.stop());
    return servers;
  });
  return own;
}

function parseHanded(text: string): Omit<TestServers, 'stop'> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TestServersEnvError('not JSON', { cause: err });
  }
  const parsed = HandedServers.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new TestServersEnvError(issues, { cause: parsed.error });
  }
  return parsed.data;
}
