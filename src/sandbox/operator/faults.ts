// Fault and delay knobs, read from annotations on the CAS or, as defaults, on its Namespace
// (docs/CONTRACTS.md). A CAS annotation wins over the Namespace's.

export const FAULT_ANNOTATION = 'sandbox.casflow.dev/fault';
export const TIME_SCALE_ANNOTATION = 'sandbox.casflow.dev/time-scale';

export const FAULTS = ['never-healthy', 'attestation-failure', 'snapshot-failure'] as const;
export type Fault = (typeof FAULTS)[number];

export interface Knobs {
  fault: Fault | null;
  /** Multiplies every phase delay (1 when unset). */
  timeScale: number;
  /** Annotation values that were not understood, for a warning. */
  ignored: string[];
}

type Annotations = Record<string, string> | undefined;

/** Reads the knobs for one CAS from its own and its Namespace's annotations. */
export function readKnobs(cas: Annotations, namespace: Annotations): Knobs {
  const ignored: string[] = [];
  const pick = (key: string) => cas?.[key] ?? namespace?.[key];

  const rawFault = pick(FAULT_ANNOTATION);
  const fault = (FAULTS as readonly string[]).includes(rawFault ?? '') ? (rawFault as Fault) : null;
  if (rawFault !== undefined && fault === null) ignored.push(`${FAULT_ANNOTATION}=${rawFault}`);

  const rawScale = pick(TIME_SCALE_ANNOTATION);
  const scale = Number(rawScale);
  const validScale = rawScale !== undefined && rawScale.trim() !== '' && Number.isFinite(scale) && scale >= 0;
  if (rawScale !== undefined && !validScale) ignored.push(`${TIME_SCALE_ANNOTATION}=${rawScale}`);

  return { fault, timeScale: validScale ? scale : 1, ignored };
}
