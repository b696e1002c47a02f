/**
 * Bodies over the limit are refused before they are parsed: over real HTTP through the local API Gateway
 * emulator (local/stack.ts), a body past MAX_BODY_BYTES gets 413 whatever it holds, including content the JSON
 * parser or the schema would answer 400 for, while the same content under the limit gets that 400. That the
 * answer to invalid JSON depends only on its size is the proof that the parser never saw the large one.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { RELAY_ERRORS } from '../../functions/shared/http/relay-errors.js';
import { MAX_BODY_BYTES } from '../../functions/shared/limits.js';
import { MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE, fillPath } from '../../functions/shared/routes.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { startGatewayStack, use } from '../support/stack.js';
import { send } from '../relay/helpers/http.js';
import type { RawAnswer } from '../relay/helpers/http.js';

const ONE_MB = 1024 * 1024;
const local = use(startGatewayStack);
const vmrPath = fillPath(MODIFY_VMR_ROUTE.path, { id: CORP_A.vmrId });
const resourcesPath = fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP_A.corpId });

let aliceToken: string;

beforeEach(async () => {
  aliceToken ??= await loginDemo.alice(local.stack.huaweiBaseUrl);
  await local.control.clearRequests();
});

function put(path: string, body: string | Buffer, token = path === vmrPath ? aliceToken : local.spToken): Promise<RawAnswer> {
  return send(`${local.stack.gatewayUrl}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-access-token': token },
    body,
  });
}

/** `text` padded with spaces (still the same JSON, or the same non-JSON) to exactly `bytes` bytes. */
function paddedTo(text: string, bytes: number): string {
  return text + ' '.repeat(bytes - Buffer.byteLength(text));
}

function expectError(answer: RawAnswer, kind: keyof typeof RELAY_ERRORS, names: string): void {
  expect(answer.status, answer.text.slice(0, 200)).toBe(RELAY_ERRORS[kind].status);
  expect(answer.json).toMatchObject({ error_code: RELAY_ERRORS[kind].code });
  expect((answer.json as { error_msg: string }).error_msg).toContain(names);
}

describe('the body size limit', () => {
  it.each([
    ['modify VMR', vmrPath],
    ['modify resources', resourcesPath],
  ])('answers 413 to 1 MB of invalid JSON on %s, where the same text under the limit gets 400 for bad JSON', async (_route, path) => {
    // Prepare
    const broken = '{"vmrName": "unterminated';

    // Act
    const large = await put(path, paddedTo(broken, ONE_MB));
    const small = await put(path, paddedTo(broken, MAX_BODY_BYTES));

    // Assess
    expectError(large, 'bodyTooLarge', 'body');
    expectError(small, 'malformedJson', 'body');
    expect(await local.control.requests({ path: '/v1/usg/dcs/' })).toEqual([]);
  });

  it('answers 413, not 400, to 1 MB of valid JSON whose field breaks the schema', async () => {
    const answer = await put(vmrPath, JSON.stringify({ vmrName: 'n'.repeat(ONE_MB) }));

    expectError(answer, 'bodyTooLarge', 'body');
    expect(await local.control.requests({ path: '/v1/usg/dcs/' })).toEqual([]);
  });

  it('answers 413 to 1 MB of nesting without parsing it', async () => {
    const answer = await put(resourcesPath, '['.repeat(ONE_MB));

    expectError(answer, 'bodyTooLarge', 'body');
  });

  it('counts the limit in bytes: one byte over is 413 even when the text is shorter in characters', async () => {
    // Prepare: 4-byte characters, so the text has far fewer characters (and UTF-16 units) than bytes.
    const emoji = '😀';
    const overhead = Buffer.byteLength('{"vmrName":""}');
    const count = Math.floor((MAX_BODY_BYTES - overhead) / 4);
    const atLimit = paddedTo(JSON.stringify({ vmrName: emoji.repeat(count) }), MAX_BODY_BYTES);
    const overLimit = `${atLimit} `;

    // Act
    const at = await put(vmrPath, atLimit);
    const over = await put(vmrPath, overLimit);

    // Assess: at the limit the body is parsed and validated (the name is far too long: 400 naming it).
    expect(overLimit.length).toBeLessThan(MAX_BODY_BYTES);
    expectError(at, 'invalidBody', 'vmrName');
    expectError(over, 'bodyTooLarge', `${MAX_BODY_BYTES + 1}`);
  });
});
