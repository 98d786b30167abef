import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRefusal } from '../../activities/owner.ts';

test('classifyRefusal tells retryable trouble from refusals, in the scone CLI stand-in wording', () => {
  const cases: [string, ReturnType<typeof classifyRefusal>][] = [
    ['Provisioning of CAS ns/c refused: CAS is already provisioned', 'already-provisioned'],
    ['Cannot reach the CAS stand-in service at http://127.0.0.1:1', 'unreachable'],
    ['No CAS is reachable at c.ns.svc:8081', 'unreachable'],
    ['Intel PCS rejected the owner config [dcap] subscription_key (HTTP 401)', 'dcap-key'],
    ['Provisioning of CAS ns/c refused: wrong provisioning token', 'token'],
    ['Attestation of CAS ns/c failed: enclave signer b6c1 does not match --mrsigner 195e', 'attestation'],
    ['Attestation of CAS ns/c failed: CAS key hash aa does not match -c bb', 'attestation'],
    ['something nobody expected', 'unknown'],
  ];
  for (const [reason, expected] of cases) assert.equal(classifyRefusal(reason), expected, reason);
});
