// The scone stand-in reaches a CAS by the address casflow passes, the in-cluster DNS
// name of its service plus the client port: `<name>.<namespace>[.svc[.cluster.local]]:<port>`.

const DNS_LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const ADDRESS = new RegExp(`^(${DNS_LABEL})\\.(${DNS_LABEL})(?:\\.svc(?:\\.cluster\\.local)?)?:(\\d{1,5})$`);

export interface CasAddress {
  name: string;
  namespace: string;
  port: number;
}

/** Parses a CAS address; undefined when it is not of the form above. */
export function parseCasAddress(addr: string): CasAddress | undefined {
  const m = ADDRESS.exec(addr.trim().toLowerCase());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { name: m[1]!, namespace: m[2]!, port };
}

export const CAS_ADDRESS_FORM = '<name>.<namespace>[.svc[.cluster.local]]:<port>';
