// The search attributes the CLI sets when it starts a workflow, so the Web UI can filter by instance.
import type { SearchAttributePair } from '@temporalio/common';
import { CasflowInstance, CasflowNamespace, CasflowOperation } from '../temporal/search-attributes.ts';

export interface WorkflowTarget {
  namespace: string;
  name: string;
  operation: string;
}

export function searchAttributesOf(target: WorkflowTarget): SearchAttributePair[] {
  return [
    { key: CasflowInstance, value: target.name },
    { key: CasflowNamespace, value: target.namespace },
    { key: CasflowOperation, value: target.operation },
  ];
}
