/**
 * A self-signed certificate for the relay's opt-in https listener, made at start in pure JS (selfsigned), valid
 * for `localhost` and `127.0.0.1`. Huawei's Python SDK logs in over https whatever its endpoint says; pointed at
 * this listener with certificate verification off, it works against the local stack. Never used in AWS.
 */
import { generate } from 'selfsigned';

export interface LocalCertificate {
  key: string;
  cert: string;
  /** SHA-1 fingerprint, shown in the banner so a client can pin it if it wants. */
  fingerprint: string;
}

/** A certificate outlives any local run; a new one is made at every start. */
const VALID_DAYS = 30;

export async function makeLocalCertificate(now: Date = new Date()): Promise<LocalCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 86_400_000),
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert, fingerprint: pems.fingerprint };
}
