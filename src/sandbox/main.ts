// `npm run sandbox`: everything casflow needs on one machine, until Ctrl-C.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from './sandbox.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workDir = process.env.CASFLOW_SANDBOX_DIR ?? join(root, '.sandbox');
const say = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);

const sandbox = await startSandbox(workDir, say);
const { servers, standIns } = sandbox;

process.stdout.write(`
casflow sandbox is running (stand-ins for SCONE: operator, CAS, scone CLI, PCS).

  Kubernetes API   ${servers.kube.url}
  kubeconfig       ${servers.kube.kubeconfigPath}
  Temporal         ${servers.temporal.address}  (namespace ${servers.temporal.namespace})
  Temporal Web UI  ${servers.temporal.uiUrl ?? 'not started'}
  S3 endpoint      ${servers.s3.endpoint}  region ${servers.s3.region}
  S3 access key    ${servers.s3.accessKeyId}
  S3 secret key    ${servers.s3.secretAccessKey}
  PCS stub         ${standIns.pcs.url}
  worker log       ${sandbox.workerLog}

In another terminal:

  source ${sandbox.envFile}
  kubectl get nodes,las,cas -A
  npm run casflow -- provision cas mycas -n default --wait

Ctrl-C stops everything.
`);

// Keep running until a signal: the process registry stops the sandbox in order and exits.
await new Promise(() => undefined);
