// Permanent failures become non-retryable ApplicationFailures whose `type` the workflows and the
// CLI match on; anything else thrown by an activity is retried by Temporal.
import { ApplicationFailure } from '@temporalio/common';
import type { PermanentFailureType } from '../src/domain/failures.ts';

export { PermanentFailure } from '../src/domain/failures.ts';

/** A failure that retrying cannot fix; the message is shown to the operator as it is. */
export function permanent(type: PermanentFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}
