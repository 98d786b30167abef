// The workflow bundle's entry: every export here is a workflow type.
export { provisionCas } from './provision-cas.ts';
export { casStatus, verifyCas } from './cas-checks.ts';
