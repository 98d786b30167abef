// Just enough of the owner config (TOML as the plugin writes it, or JSON) to find the DCAP
// key: `[dcap]` section, `subscription_key = "..."`.

/** The `[dcap] subscription_key` of an owner config, if it has one. */
export function dcapKeyOf(config: string): string | undefined {
  const trimmed = config.trim();
  if (trimmed.startsWith('{')) return fromJson(trimmed);

  let inDcap = false;
  for (const raw of config.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) inDcap = section[1]!.trim() === 'dcap';
    const entry = inDcap && /^subscription_key\s*=\s*["']([^"']*)["']$/.exec(line);
    if (entry) return entry[1];
  }
  return undefined;
}

function fromJson(text: string): string | undefined {
  try {
    const key = (JSON.parse(text) as { dcap?: { subscription_key?: unknown } }).dcap?.subscription_key;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
