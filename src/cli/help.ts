// Usage text. Flags come from the table in flags.ts so help and parser cannot drift apart.
import { FLAGS, UNSUPPORTED_FLAGS, type FlagSpec } from './flags.ts';

/** How the operator invoked us: `casflow provision ...` or `kubectl provision ...`. */
export type Program = 'casflow' | 'kubectl-provision';

export function commandOf(program: Program): string {
  return program === 'casflow' ? 'casflow provision' : 'kubectl provision';
}

export function helpHint(program: Program): string {
  return `Run "${commandOf(program)} --help" for the supported flags.`;
}

function flagLine(spec: FlagSpec): string {
  const names = spec.short ? `${spec.short}, ${spec.long}` : `    ${spec.long}`;
  const left = spec.value ? `${names} ${spec.value}` : names;
  return `  ${left.padEnd(36)} ${spec.help}`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return line ? [...lines, line] : lines;
}

export function helpText(program: Program): string {
  const command = commandOf(program);
  const plugin = FLAGS.filter((spec) => !spec.extra).map(flagLine);
  const extras = FLAGS.filter((spec) => spec.extra).map(flagLine);
  return [
    `Usage: ${command} cas [NAME] [flags]`,
    '',
    'Provisions a SCONE CAS (or checks one) by running a durable Temporal workflow and following its',
    'progress. NAME defaults to "cas"; at most 15 characters, a DNS-1123 label.',
    '',
    'Flags (as in the SCONE kubectl provision plugin):',
    ...plugin,
    '',
    'casflow extras:',
    ...extras,
    '',
    'Environment:',
    '  NAMESPACE, DCAP_KEY, VERSION, IMAGE_REPO, SGX_TOLERATIONS   defaults for the flags above',
    '  CASFLOW_TEMPORAL_ADDRESS     Temporal frontend host:port (required)',
    '  CASFLOW_TEMPORAL_NAMESPACE   Temporal namespace (default "default")',
    '  CASFLOW_TASK_QUEUE           task queue of the casflow worker (default "casflow")',
    '  CASFLOW_TEMPORAL_TLS         "true" to connect with TLS; CASFLOW_TEMPORAL_TLS_CA,',
    '                               CASFLOW_TEMPORAL_TLS_CERT, CASFLOW_TEMPORAL_TLS_KEY: PEM files',
    '  CASFLOW_TEMPORAL_API_KEY     API key (Temporal Cloud)',
    '  KUBECONFIG                   kubeconfig file(s) (default ~/.kube/config)',
    '',
    'Not supported yet by casflow:',
    ...wrap([...UNSUPPORTED_FLAGS.keys()].join(', '), 96).map((line) => `  ${line}`),
    '',
    'The DCAP key and owner config are staged in a Secret casflow-input-NAME-<random> in the CAS namespace,',
    'passed to the workflow by reference and deleted when it ends. Ctrl-C stops following; the workflow keeps running and',
    'running the same command again re-attaches to it.',
    '',
    'Exit codes: 0 success, 1 failed (or NO / not attestable), 2 invalid invocation, 130 stopped following.',
  ].join('\n');
}
