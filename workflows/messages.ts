// Messages shared by every casflow workflow. Clients import these definitions by name.
import { defineQuery } from '@temporalio/workflow';
import type { Progress } from '../src/domain/progress.ts';

/** Current phase, step, step states and last observed status of the operation. */
export const progressQuery = defineQuery<Progress>('progress');
