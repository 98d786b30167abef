export const BANNER = 'scone: casflow sandbox stand-in for the SCONE CLI (no SGX; talks to the casflow CAS stand-in)';

export const USAGE = `${BANNER}

Usage:
  scone cas attest <ADDR> [-c HASH] [-s HASH] [-C] [-G] [-S]
        [--mrsigner HEX --isvprodid N --isvsvn N] [--only_for_testing-trust-any]
        [--only_for_testing-debug] [--only_for_testing-ignore-signer]
        [--only_for_testing_allow-unprovisioned-cas]
  scone cas provision <ADDR> -c HASH --token TOKEN --config-file FILE [--database-key HEX]
        {with-attestation [attest options] | only_for_testing-without-attestation}
  scone cas set-default <ADDR>
  scone cas show-identification [-c | -s | --session-encryption-key] [--cas ADDR]
  scone cas show-certificate [--cas ADDR]
  scone session create|update|verify <FILE> [--use-env] [-e VAR=VAL]... [--cas ADDR]
  scone session read <NAME> [--cas ADDR]
  scone self show-key-hash

ADDR is <name>.<namespace>[.svc[.cluster.local]]:<port>.
Environment: SCONE_CLI_CONFIG (identity file; default $HOME/.cas/config.json),
  SCONE_SANDBOX_CAS_URL (CAS stand-in service), SCONE_HASH=1 (print the CLI MRENCLAVE).
Exit codes: 0 ok, 1 refused, 2 usage error, 3 CAS unreachable.
`;
