// Reading workflow histories in tests.
import type { WorkflowHandle } from '@temporalio/client';

/** Activity types whose tasks have completed so far, in order. */
export async function completedActivities(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  const scheduled = new Map<string, string>();
  const completed: string[] = [];
  for (const event of history.events ?? []) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes) scheduled.set(String(event.eventId), attributes.activityType?.name ?? '');
    const done = event.activityTaskCompletedEventAttributes;
    if (done) completed.push(scheduled.get(String(done.scheduledEventId)) ?? '?');
  }
  return completed;
}
