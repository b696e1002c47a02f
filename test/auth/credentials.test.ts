import { describe, expect, it } from 'vitest';
import { parseSpCredentials } from '../../functions/shared/auth/credentials.js';
import { SpCredentialsError } from '../../functions/shared/auth/errors.js';
import { SP_ADMIN, SP_APP } from '../../local/simulator/demo-data.js';

const ORIGIN = 'the test document';

/** Parses and returns the SpCredentialsError it must throw. */
function refusal(raw: string): SpCredentialsError {
  try {
    parseSpCredentials(raw, ORIGIN);
  } catch (error) {
    if (error instanceof SpCredentialsError) return error;
    throw error;
  }
  throw new Error('expected SpCredentialsError');
}

describe('parseSpCredentials', () => {
  it('accepts an App ID document', () => {
    const raw = JSON.stringify({ type: 'appId', ...SP_APP });
    expect(parseSpCredentials(raw, ORIGIN)).toEqual({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey });
  });

  it('accepts an account document', () => {
    const raw = JSON.stringify({ type: 'account', ...SP_ADMIN });
    expect(parseSpCredentials(raw, ORIGIN)).toEqual({ type: 'account', account: SP_ADMIN.account, password: SP_ADMIN.password });
  });

  it('accepts the document as UTF-8 bytes (a binary secret)', () => {
    const raw = new TextEncoder().encode(JSON.stringify({ type: 'appId', ...SP_APP }));
    expect(parseSpCredentials(raw, ORIGIN).type).toBe('appId');
  });

  it('names appKey when it is missing', () => {
    const error = refusal(JSON.stringify({ type: 'appId', appId: SP_APP.appId }));
    expect(error.fields).toEqual(['appKey']);
    expect(error.message).toBe(`SP credentials in ${ORIGIN} are invalid: appKey is required`);
    expect(error.reason).toBe('credentials-invalid');
  });

  it('names password and its documented length when it is too short, without echoing it', () => {
    const error = refusal(JSON.stringify({ type: 'account', account: SP_ADMIN.account, password: 'Short1!' }));
    expect(error.fields).toEqual(['password']);
    expect(error.message).toContain('password must be 8 to 32 characters');
    expect(error.message).not.toContain('Short1!');
  });

  it('names type when it is neither appId nor account', () => {
    const error = refusal(JSON.stringify({ type: 'token', appId: SP_APP.appId, appKey: SP_APP.appKey }));
    expect(error.fields).toEqual(['type']);
    expect(error.message).toContain('type must be "appId" or "account"');
    expect(error.message).not.toContain(SP_APP.appKey);
  });

  it('names type when it is missing', () => {
    const error = refusal(JSON.stringify({ appId: SP_APP.appId, appKey: SP_APP.appKey }));
    expect(error.fields).toEqual(['type']);
  });

  it('names every offending field at once', () => {
    const error = refusal(JSON.stringify({ type: 'appId', appId: 42 }));
    expect(error.fields).toEqual(['appId', 'appKey']);
    expect(error.message).toContain('appId must be a string');
    expect(error.message).toContain('appKey is required');
  });

  it('refuses an appKey with a trailing newline (a pasted secret) and does not echo it', () => {
    const error = refusal(JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: `${SP_APP.appKey}\n` }));
    expect(error.fields).toEqual(['appKey']);
    expect(error.message).toContain('appKey must not start or end with whitespace');
    expect(error.message).not.toContain(SP_APP.appKey);
  });

  it('refuses an appId longer than 64 characters', () => {
    const error = refusal(JSON.stringify({ type: 'appId', appId: 'a'.repeat(65), appKey: SP_APP.appKey }));
    expect(error.message).toContain('appId must be 1 to 64 characters');
  });

  it('refuses an account containing ":", which Basic auth cannot carry', () => {
    const error = refusal(JSON.stringify({ type: 'account', account: 'sp:admin', password: SP_ADMIN.password }));
    expect(error.fields).toEqual(['account']);
    expect(error.message).toContain('account must not contain ":"');
    expect(error.message).not.toContain(SP_ADMIN.password);
  });

  it('refuses a document that is not an object', () => {
    const error = refusal('"just a string"');
    expect(error.message).toContain('must be a JSON object with a "type" of "appId" or "account"');
  });

  it('refuses malformed JSON without quoting any of it', () => {
    const raw = `{"type":"appId","appId":"${SP_APP.appId}","appKey":"${SP_APP.appKey}"`; // missing brace
    const error = refusal(raw);
    expect(error.message).toBe(`SP credentials in ${ORIGIN} are not valid JSON`);
    expect(error.message).not.toContain(SP_APP.appKey);
    expect(error.message).not.toContain(SP_APP.appId);
  });
});
