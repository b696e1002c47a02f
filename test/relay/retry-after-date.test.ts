/**
 * `Retry-After` given as an HTTP date (RFC 9110 section 10.2.3), read against the client's own clock. The clock
 * is virtual (2001), so the date is far in the past for the machine's real clock: a client that ignored dates,
 * or measured them against `Date.now()`, would retry at once and get the scripted 200.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { use } from '../support/stack.js';
import { HuaweiClient } from '../../functions/shared/huawei/client.js';
import { startScriptedUpstream } from './helpers/scripted-upstream.js';

const PATH = '/v1/usg/dcs/sp/corp/818803911/resource';
const VIRTUAL_NOW = Date.parse('Mon, 01 Jan 2001 00:00:00 GMT');

const upstream = use(startScriptedUpstream);
let client: HuaweiClient;

beforeEach(() => {
  upstream.seen.length = 0;
  client = new HuaweiClient({ baseUrl: upstream.url, minRetryDelayMs: 20, maxRetryDelayMs: 80, random: () => 0.5, now: () => VIRTUAL_NOW });
});

afterEach(async () => {
  await client.close();
});

describe('Retry-After as an HTTP date', () => {
  it('returns the 429 at once when the date is further away than the client is willing to wait', async () => {
    const twoMinutesLater = new Date(VIRTUAL_NOW + 120_000).toUTCString();
    upstream.script([{ status: 429, headers: { 'retry-after': twoMinutesLater } }, { status: 200 }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [], deadline: VIRTUAL_NOW + 25_000 });

    expect(twoMinutesLater).toBe('Mon, 01 Jan 2001 00:02:00 GMT');
    expect(response).toMatchObject({ status: 429, attempts: 1 });
    expect(upstream.seen).toHaveLength(1);
  });

  it('retries after the backoff when the date has already passed', async () => {
    const aMinuteAgo = new Date(VIRTUAL_NOW - 60_000).toUTCString();
    upstream.script([{ status: 503, headers: { 'retry-after': aMinuteAgo } }, { status: 200 }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [], deadline: VIRTUAL_NOW + 25_000 });

    expect(response).toMatchObject({ status: 200, attempts: 2 });
  });
});
