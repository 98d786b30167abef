// `npm test [-- files or dirs]`: builds or finds the server binaries, starts the real test servers
// once, runs the test files one after another against them (CASFLOW_TEST_SERVERS), stops the
// servers and exits with the test run's code. On SIGINT/SIGTERM the process registry stops the
// test run first, then the servers, and exits non-zero.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryNames, ensureBinary } from '../src/sandbox/binaries.ts';
import { signalInProgress } from '../src/sandbox/process-registry.ts';
import { startProcess } from '../src/sandbox/process.ts';
import { startTestServers, testServersEnvVar } from '../src/sandbox/servers/index.ts';
import { collectTestFiles, TestPathError } from './collect-test-files.ts';

const TEST_TIMEOUT_MS = 300_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string): void => void process.stderr.write(`[test] ${line}\n`);

const files = await collectTestFiles(root, process.argv.slice(2)).catch((err: unknown) => {
  if (!(err instanceof TestPathError)) throw err;
  say(err.message);
  process.exit(2);
});
if (files.length === 0) {
  say(`no *.test.ts files under ${process.argv.slice(2).join(' ') || 'test/'}`);
  process.exit(2);
}

const started = Date.now();
for (const name of binaryNames) await ensureBinary(name, { log: say });
// A server that dies mid-run makes later tests fail on timeouts; the line says what really happened.
const servers = await startTestServers({
  log: say,
  onUnexpectedExit: (err) => say(`${err.message}; tests that need it will fail from now on`),
});
say(`server logs: ${servers.logDir}`);

const { kube, temporal, s3, logDir, stateDir } = servers;
const run = startProcess({
  name: 'node --test',
  command: process.execPath,
  // A per-test timeout far above the slowest test (about 40 s): a test waiting on a dead server
  // fails instead of holding the run until CI's limit.
  args: [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    '--test-reporter=spec',
    ...files,
  ],
  cwd: root,
  env: { ...process.env, [testServersEnvVar]: JSON.stringify({ kube, temporal, s3, logDir, stateDir }) },
  stopRank: 0, // before the servers it uses
  stopSignal: 'SIGINT',
  graceMs: 10_000,
  keepAlive: true,
  log: say,
});
const exit = await run.exited;

// On a signal the registry is already stopping everything and will exit with 128 + signal.
if (!signalInProgress()) {
  await servers.stop();
  say(`server logs kept in ${logDir}; whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(exit.code ?? 1);
}
