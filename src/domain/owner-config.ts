// The CAS owner config (TOML) the plugin generates, and $VAR substitution for a user's own file.

export interface OwnerConfigOptions {
  namespace: string;
  name: string;
  clusterIP?: string;
  dcapKey: string;
  /** Audit log forwarded to this URL (network sink) instead of the local file. */
  webhook?: string;
}

const quote = (value: string) => JSON.stringify(value); // TOML basic strings accept JSON escapes

/** The host names CAS's API certificate must cover: pod, service and local-access forms. */
export function apiAltNames(namespace: string, name: string, clusterIP?: string): string[] {
  const names = [
    name,
    `${name}.${namespace}`,
    `${name}.${namespace}.svc`,
    `${name}.${namespace}.svc.cluster.local`,
    `${name}-0`,
    `${name}-0.${name}.${namespace}.svc.cluster.local`,
    'localhost',
    'cas-instance',
    'host.docker.internal',
  ];
  if (clusterIP) names.push(clusterIP);
  return names;
}

export function generateOwnerConfig(options: OwnerConfigOptions): string {
  const auditLog = options.webhook
    ? ['mode = "signed"', 'sink = "network"', `url = ${quote(options.webhook)}`]
    : ['mode = "signed"', 'sink = "file"'];
  return [
    'enclave_reconnect_timeout = "24h"',
    '',
    '[api_identity]',
    `common_name = ${quote(options.name)}`,
    `alt_names = [${apiAltNames(options.namespace, options.name, options.clusterIP).map(quote).join(', ')}]`,
    '',
    '[dcap]',
    `subscription_key = ${quote(options.dcapKey)}`,
    '',
    '[audit_log]',
    ...auditLog,
    '',
  ].join('\n');
}

/** Substitutes $VAR and ${VAR}; returns the text and the names that had no value. */
export function substituteVariables(
  text: string,
  lookup: (name: string) => string | undefined,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const replaced = text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, braced, bare) => {
      const name = (braced ?? bare) as string;
      const value = lookup(name);
      if (value === undefined) {
        missing.add(name);
        return whole;
      }
      return value;
    },
  );
  return { text: replaced, missing: [...missing] };
}
