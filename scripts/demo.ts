// `npm run demo`: start the sandbox, provision a CAS named `demo` through the casflow CLI (as a
// user would), print its keys, stop everything. The first run builds the test servers (minutes).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/sandbox.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => process.stderr.write(`[demo] ${line}\n`);

say('starting the sandbox (the first run builds kube-apiserver, etcd, versitygw and installs Temporal: ~8 min)');
const sandbox = await startSandbox(process.env.CASFLOW_SANDBOX_DIR ?? join(root, '.sandbox', 'demo'), say);

const args = ['provision', 'cas', 'demo', '-n', 'default', '--wait'];
say(`running: casflow ${args.join(' ')}`);
const code = await new Promise<number>((resolve) => {
  const cli = spawn(process.execPath, [join(root, 'bin', 'casflow.js'), ...args], {
    env: { ...process.env, ...sandbox.env },
    stdio: 'inherit',
  });
  cli.on('exit', (exitCode) => resolve(exitCode ?? 1));
  // A sandbox server that dies ends this process (sandbox.ts); the CLI would only retry against it.
  process.once('exit', () => cli.kill());
});

say(code === 0 ? 'demo CAS provisioned; stopping the sandbox' : `casflow exited with ${code}; stopping the sandbox`);
await sandbox.stop();
process.exit(code);
