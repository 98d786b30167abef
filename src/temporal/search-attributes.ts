// Custom search attributes casflow sets, so the Web UI can filter by instance and operation.
// They must be registered on the server (the dev server gets them as --search-attribute flags).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CasflowInstance = defineSearchAttributeKey('CasflowInstance', SearchAttributeType.KEYWORD);
export const CasflowNamespace = defineSearchAttributeKey('CasflowNamespace', SearchAttributeType.KEYWORD);
export const CasflowOperation = defineSearchAttributeKey('CasflowOperation', SearchAttributeType.KEYWORD);
export const CasflowTargetVersion = defineSearchAttributeKey('CasflowTargetVersion', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [CasflowInstance, CasflowNamespace, CasflowOperation, CasflowTargetVersion];

/** `--search-attribute Name=Keyword` pairs for `temporal server start-dev` and `operator search-attribute create`. */
export const SEARCH_ATTRIBUTE_FLAGS = SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
