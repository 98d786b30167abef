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

/**
 * The history as searchable text, payloads decoded: JSON.stringify alone renders payload bytes as
 * numbers or base64, so a secret inside a payload would not show up as the text being looked for.
 */
export async function historyText(handle: WorkflowHandle): Promise<string> {
  const parts: string[] = [];
  // Walk by hand: JSON.stringify would call Buffer#toJSON before any replacer sees the bytes.
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        parts.push(key);
        walk(child);
      }
    } else if (value !== undefined && value !== null) parts.push(String(value));
  };
  walk(await handle.fetchHistory());
  return parts.join('\n');
}
