/** The local runtime serves the OpenAPI document at GET /_local/openapi.json: the same bytes as docs/openapi.json. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../lib/openapi/document.js';
import { projectPath } from '../../lib/paths.js';
import { LOCAL_OPENAPI_PATH } from '../../local/settings.js';
import { startGatewayStack, use } from '../support/stack.js';

const local = use(() => startGatewayStack({ syncAtStart: false }));

describe('GET /_local/openapi.json', () => {
  it('answers the document docs/openapi.json holds', async () => {
    const answer = await fetch(`${local.stack.gatewayUrl}${LOCAL_OPENAPI_PATH}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(await answer.text()).toBe(readFileSync(projectPath(OPENAPI_FILE), 'utf8'));
  });
});
