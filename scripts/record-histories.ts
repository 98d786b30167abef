// Records one workflow history per workflow type and outcome into test/histories/, for the replay
// test. Run it after an intended change to workflow code, review the diff, and commit the files:
//   node --import tsx scripts/record-histories.ts
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { useSandbox } from '../test/support/sandbox.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'histories');
const TASK_QUEUE = 'record-histories';

const sandbox = await useSandbox();
try {
  await sandbox.startWorker(TASK_QUEUE);
  await sandbox.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'history' } } });
  await mkdir(out, { recursive: true });

  const runs: [file: string, type: string, id: string, input: unknown][] = [
    [
      'provision-cas-provisioned',
      'provisionCas',
      'cas/history/rec/provision',
      { name: 'rec', namespace: 'history', wait: true },
    ],
    [
      'provision-cas-already-provisioned',
      'provisionCas',
      'cas/history/rec/provision',
      { name: 'rec', namespace: 'history' },
    ],
    ['cas-status', 'casStatus', 'cas/history/rec/status', { name: 'rec', namespace: 'history' }],
    [
      'verify-cas-public-keys',
      'verifyCas',
      'cas/history/rec/verify',
      { name: 'rec', namespace: 'history', printPublicKeys: true },
    ],
  ];
  for (const [file, type, workflowId, input] of runs) {
    const handle = await sandbox.client.workflow.start(type, { taskQueue: TASK_QUEUE, workflowId, args: [input] });
    await handle.result();
    const history = await handle.fetchHistory();
    // proto3 JSON, the form `temporal workflow show --output json` writes and the replayer reads.
    await writeFile(join(out, `${file}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
    process.stderr.write(`recorded ${file} (${history.events?.length} events)\n`);
  }
} finally {
  await sandbox.stop();
}
