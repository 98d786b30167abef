// The CLI's record of attested CAS instances (`cas_db`, keyed by the address used) and the
// choice of CAS for commands that do not attest.
import { CAS_ADDRESS_FORM, parseCasAddress } from '../cas/address.ts';
import type { CasIdentification } from '../cas/api.ts';
import { EXIT, SconeCliError, usageError } from './errors.ts';
import type { LoadedIdentity } from './identity.ts';

export interface AttestedCas {
  address: string;
  /** CAS key hash seen at attestation; later requests are refused if the CAS changed. */
  pinnedKeyHash: string;
}

export function checkAddress(address: string): string {
  if (!parseCasAddress(address)) throw usageError(`Invalid CAS address '${address}'; expected ${CAS_ADDRESS_FORM}`);
  return address;
}

export function recordCas(identity: LoadedIdentity, address: string, id: CasIdentification): void {
  identity.config.cas_db[address] = {
    ...identity.config.cas_db[address],
    url: `https://${address}`,
    chain: id.certificate,
    cas_key_hash: id.keyHash,
    cas_software_key_hash: id.softwareKeyHash,
  };
  identity.config.default_cas = address;
}

/** The CAS a command talks to: `--cas ADDR` or the default, which must have been attested. */
export function attestedCas(identity: LoadedIdentity, explicit: string | undefined): AttestedCas {
  const address = explicit === undefined ? identity.config.default_cas : checkAddress(explicit);
  if (!address) {
    throw new SconeCliError(EXIT.refused, "No default CAS; run 'scone cas attest <ADDR>' or pass --cas <ADDR>");
  }
  const pinnedKeyHash = identity.config.cas_db[address]?.cas_key_hash;
  if (!pinnedKeyHash) {
    throw new SconeCliError(
      EXIT.refused,
      `CAS ${address} has not been attested with this identity; run 'scone cas attest ${address}' first`,
    );
  }
  return { address, pinnedKeyHash };
}
