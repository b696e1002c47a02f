/**
 * The local runtime's opt-in https listener and passthrough switch: the certificate made at start is one a TLS
 * client accepts for the relay's loopback addresses once it trusts it, and the two settings read as documented.
 */
import { LOCAL_ENV } from '../../local/env.js';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readHttpsPort, readPassthrough } from '../../local/settings.js';
import { makeLocalCertificate } from '../../local/tls.js';

describe('the self-signed certificate', () => {
  it('names localhost and 127.0.0.1, serves TLS servers, is valid from now for 30 days and matches its key', async () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const { key, cert, fingerprint } = await makeLocalCertificate(now);
    const x509 = new X509Certificate(cert);

    expect(x509.subjectAltName?.split(', ').sort()).toEqual(['DNS:localhost', 'IP Address:127.0.0.1']);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(new Date(x509.validFrom).getTime()).toBeLessThanOrEqual(now.getTime());
    expect(new Date(x509.validTo).getTime() - now.getTime()).toBeLessThanOrEqual(30 * 86_400_000);
    expect(new Date(x509.validTo).getTime() - now.getTime()).toBeGreaterThan(29 * 86_400_000);
    expect(fingerprint.toLowerCase()).toBe(x509.fingerprint.toLowerCase());
  });

  it('is new at every start', async () => {
    const [first, second] = await Promise.all([makeLocalCertificate(), makeLocalCertificate()]);

    expect(first.cert).not.toBe(second.cert);
    expect(first.key).not.toBe(second.key);
  });
});

describe('settings', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['true', true],
    ['false', false],
  ])(`reads ${LOCAL_ENV.relayPassthrough}=%j as %s`, (raw, expected) => {
    expect(readPassthrough(raw === undefined ? {} : { [LOCAL_ENV.relayPassthrough]: raw })).toBe(expected);
  });

  it(`refuses any other ${LOCAL_ENV.relayPassthrough}, naming it`, () => {
    expect(() => readPassthrough({ [LOCAL_ENV.relayPassthrough]: 'no' })).toThrow(`${LOCAL_ENV.relayPassthrough} must be true or false (got "no")`);
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['3443', 3443],
    ['0', 0],
  ])(`reads ${LOCAL_ENV.httpsPort}=%j as %s (undefined: no https listener)`, (raw, expected) => {
    expect(readHttpsPort(raw === undefined ? {} : { [LOCAL_ENV.httpsPort]: raw })).toBe(expected);
  });

  it(`refuses a ${LOCAL_ENV.httpsPort} that is not a port`, () => {
    expect(() => readHttpsPort({ [LOCAL_ENV.httpsPort]: '70000' })).toThrow(`${LOCAL_ENV.httpsPort} must be a port number`);
  });
});
