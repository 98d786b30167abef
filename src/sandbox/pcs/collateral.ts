// Bodies the PCS stub serves: shaped like Intel PCS v4 answers (TCB info v3, enclave
// identity v2, PCK certificates, CRLs) with real self-signed certificates but signatures
// that verify against nothing. casflow only checks that its DCAP key is accepted and that
// the answers parse; nothing in the sandbox verifies quotes against this collateral.
import { createHash } from 'node:crypto';
import { pemShaped, randomHex, selfSignedCertificate } from '../cas/certificate.ts';

/** FMSPC the stub reports for its one kind of platform. */
export const STUB_FMSPC = '00906ed50000';

const TCB_EVALUATION_DATA_NUMBER = 17;

export interface Collateral {
  rootCa: string;
  processorCa: string;
  tcbSigning: string;
  pckCert: string;
}

/** One set of certificates per stub; openssl makes them once, at start. */
export function makeCollateral(): Collateral {
  return {
    rootCa: selfSignedCertificate('Intel SGX Root CA').pem,
    processorCa: selfSignedCertificate('Intel SGX PCK Processor CA').pem,
    tcbSigning: selfSignedCertificate('Intel SGX TCB Signing').pem,
    pckCert: selfSignedCertificate('Intel SGX PCK Certificate').pem,
  };
}

/** Intel sends issuer chains URL-encoded in a header. */
export function chainHeader(...pems: string[]): string {
  return encodeURIComponent(pems.join(''));
}

export function crlPem(ca: string): string {
  return pemShaped('X509 CRL', crlDer(ca));
}

export function crlDer(ca: string): Buffer {
  // Deterministic per CA so repeated downloads compare equal, as a cached CRL would.
  return createHash('sha512').update(`casflow pcs stub crl ${ca}`).digest();
}

function dates(): { issueDate: string; nextUpdate: string } {
  const now = Date.now();
  return {
    issueDate: new Date(now - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    nextUpdate: new Date(now + 29 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

function tcbLevel(svn: number, pcesvn: number, status: string, date: string) {
  return {
    tcb: { sgxtcbcomponents: Array.from({ length: 16 }, (_, i) => ({ svn: i < 2 ? svn : 0 })), pcesvn },
    tcbDate: date,
    tcbStatus: status,
  };
}

export function tcbInfo(fmspc: string) {
  return {
    tcbInfo: {
      id: 'SGX',
      version: 3,
      ...dates(),
      fmspc: fmspc.toLowerCase(),
      pceId: '0000',
      tcbType: 0,
      tcbEvaluationDataNumber: TCB_EVALUATION_DATA_NUMBER,
      tcbLevels: [
        tcbLevel(7, 13, 'SWHardeningNeeded', '2025-05-14T00:00:00Z'),
        tcbLevel(6, 13, 'ConfigurationAndSWHardeningNeeded', '2025-05-14T00:00:00Z'),
        tcbLevel(5, 11, 'OutOfDate', '2024-03-13T00:00:00Z'),
        tcbLevel(4, 11, 'OutOfDateConfigurationNeeded', '2024-03-13T00:00:00Z'),
      ],
    },
    signature: randomHex(64),
  };
}

export function enclaveIdentity(id: 'QE' | 'QVE') {
  return {
    enclaveIdentity: {
      id,
      version: 2,
      ...dates(),
      tcbEvaluationDataNumber: TCB_EVALUATION_DATA_NUMBER,
      miscselect: '00000000',
      miscselectMask: 'FFFFFFFF',
      attributes: '11000000000000000000000000000000',
      attributesMask: 'FBFFFFFFFFFFFFFF0000000000000000',
      mrsigner: '8C4F5775D796503E96137F77C68A829A0056AC8DED70140B081B094490C57BFF',
      isvprodid: id === 'QE' ? 1 : 2,
      tcbLevels: [
        { tcb: { isvsvn: 8 }, tcbDate: '2025-05-14T00:00:00Z', tcbStatus: 'UpToDate' },
        { tcb: { isvsvn: 6 }, tcbDate: '2024-03-13T00:00:00Z', tcbStatus: 'OutOfDate' },
      ],
    },
    signature: randomHex(64),
  };
}

export function pckCerts(pem: string, cpusvnBase: number) {
  return [13, 11].map((pcesvn, i) => {
    const tcb: Record<string, number> = {};
    for (let c = 1; c <= 16; c++) tcb[`sgxtcbcomp${String(c).padStart(2, '0')}svn`] = c <= 2 ? cpusvnBase - i : 0;
    tcb.pcesvn = pcesvn;
    const cpusvn = Buffer.from(Array.from({ length: 16 }, (_, c) => (c < 2 ? cpusvnBase - i : 0))).toString('hex');
    const pce = Buffer.alloc(2);
    pce.writeUInt16LE(pcesvn);
    return { tcb, tcbm: `${cpusvn}${pce.toString('hex')}`, cert: encodeURIComponent(pem) };
  });
}
