// `npm run bench`: provisions CAS instances in the sandbox and prints figures per provisioning:
// wall time, time inside activities, orchestration overhead (the rest), history events, and the
// worker process's memory. Figures only; nothing here passes or fails.
import { CoreV1Api } from '@kubernetes/client-node';
import type { WorkflowHandle } from '@temporalio/client';
import { useSandbox } from '../test/support/sandbox.ts';

const RUNS = Number(process.env.CASFLOW_BENCH_RUNS ?? 5);
const TASK_QUEUE = 'bench';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

const ms = (t: HistoryEvent['eventTime']) => Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

function activityTime(events: HistoryEvent[]): number {
  const started = new Map<string, number>();
  let total = 0;
  for (const event of events) {
    const s = event.activityTaskStartedEventAttributes;
    if (s) started.set(String(s.scheduledEventId), ms(event.eventTime));
    const c = event.activityTaskCompletedEventAttributes;
    if (c) total += ms(event.eventTime) - (started.get(String(c.scheduledEventId)) ?? ms(event.eventTime));
  }
  return total;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const sandbox = await useSandbox();
try {
  await sandbox.startWorker(TASK_QUEUE);
  await sandbox.kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'bench' } } });
  const rows: { wall: number; activities: number; events: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = Date.now();
    const handle = await sandbox.client.workflow.start('provisionCas', {
      taskQueue: TASK_QUEUE,
      workflowId: `cas/bench/b${i}/provision`,
      args: [{ name: `b${i}`, namespace: 'bench', wait: true }],
    });
    await handle.result();
    const wall = Date.now() - started;
    const events = (await handle.fetchHistory()).events ?? [];
    rows.push({ wall, activities: activityTime(events), events: events.length });
    process.stdout.write(`run ${i + 1}/${RUNS}: ${wall} ms, ${events.length} history events\n`);
  }
  const wall = median(rows.map((r) => r.wall));
  const inActivities = median(rows.map((r) => r.activities));
  process.stdout.write(
    [
      '',
      `provisionCas, ${RUNS} runs against the sandbox (operator stand-in at 300 ms per phase), medians:`,
      `  wall time                 ${wall} ms`,
      `  inside activities         ${inActivities} ms`,
      `  orchestration overhead    ${wall - inActivities} ms (${(((wall - inActivities) / wall) * 100).toFixed(1)} %)`,
      `  history events            ${median(rows.map((r) => r.events))}`,
      `  bench process RSS         ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB (worker, stand-ins, client)`,
      '',
    ].join('\n'),
  );
} finally {
  await sandbox.stop();
}
