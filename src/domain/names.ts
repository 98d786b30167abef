// Names of Kubernetes objects and Temporal workflow ids, all derived from the target instance.
import { z } from 'zod';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The plugin refuses CAS names longer than this (the name ends up in host names and policy names). */
export const MAX_CAS_NAME_LENGTH = 15;

/** A DNS-1123 label: lower-case alphanumerics and '-', at most 63 characters. */
export const Dns1123Label = z
  .string()
  .max(63, { message: 'must be at most 63 characters' })
  .regex(DNS1123_LABEL, { message: "must be a DNS-1123 label (lower-case letters, digits and '-')" });

/** A CAS instance name: a DNS-1123 label of at most 15 characters. */
export const CasName = Dns1123Label.max(MAX_CAS_NAME_LENGTH, {
  message: `must be at most ${MAX_CAS_NAME_LENGTH} characters`,
});

export const podNameOf = (cas: string): string => `${cas}-0`;
export const databasePvcOf = (cas: string): string => `database-${cas}-0`;

export type CasOperation = 'provision' | 'status' | 'verify' | 'upgrade' | 'snapshot' | 'recover';

/** Workflow ids are derived from the target so the server refuses a second run for the same CAS. */
export function casWorkflowId(namespace: string, name: string, operation: CasOperation): string {
  return `cas/${namespace}/${name}/${operation}`;
}

/** The address casflow hands the scone CLI: the CAS service's in-cluster DNS name and client port. */
export function casServiceAddress(namespace: string, name: string, clientPort: number): string {
  return `${name}.${namespace}.svc:${clientPort}`;
}
