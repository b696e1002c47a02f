/**
 * Nothing in a request chooses where the relay calls: over real HTTP through the local API Gateway emulator,
 * generated bad path parameters (traversal, encoded slashes, host-like values, controls, excess length) never
 * reach a Huawei API unvalidated (a value that makes the path another Huawei path is passed through as sent, and
 * Huawei answers it as it would the same request sent to it directly), and requests that try to name another host (Host and X-Forwarded-Host headers, an
 * absolute-URL request target, `@` or `host:port` in ids) reach only the configured upstream, never a second
 * server listening on this machine.
 */
import { createServer, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HTTP_ROUTES, MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE, fillPath } from '../../functions/shared/routes.js';
import { matchRoute } from '../../local/gateway/route-matcher.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { invalidPathParam } from '../support/arbitraries.js';
import { listenOnLoopback, startGatewayStack, use } from '../support/stack.js';
import { send } from '../relay/helpers/http.js';
import { propertyParameters, reportCount, runs } from '../reliability/support/property-runs.js';

const local = use(startGatewayStack);
let aliceToken: string;
let decoy: { url: string; host: string; hits: string[]; stop(): Promise<void> };

/** A second HTTP server on loopback that no request may reach. */
async function startDecoy(): Promise<typeof decoy> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    hits,
  };
}

/** A PUT to the relay whose request line carries `target` verbatim (node's http.request sends `path` as is). */
function putWithRequestTarget(target: string, headers: Record<string, string>): Promise<number> {
  const relay = new URL(local.stack.gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: relay.hostname, port: relay.port, method: 'PUT', path: target, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{"vmrName":"x"}');
  });
}

beforeAll(async () => {
  decoy = await startDecoy();
  aliceToken = await loginDemo.alice(local.stack.huaweiBaseUrl);
});

afterAll(async () => {
  await decoy?.stop();
});

beforeEach(async () => {
  await local.control.clearRequests();
});

/**
 * Requests that reached Huawei on a validated route's own path (as API Gateway matches it: every `{param}` one
 * non-empty segment). Since everything else under Huawei's prefixes passes through, a bad value may turn the path
 * into another Huawei path (`vmr/a/b`, `corp//resource`), which reaches Huawei exactly as sent and is answered by
 * Huawei's own rules, as if sent to it directly (docs/security.md, "near-miss paths"); what must never happen is
 * a call on a validated route's path carrying a value the relay did not validate.
 */
async function reachedValidatedPathsUnvalidated(): Promise<unknown[]> {
  const reached = await local.control.requests({ path: '/v1/usg/dcs/' });
  return reached.filter((request) => matchRoute(HTTP_ROUTES, request.method, request.path) !== undefined);
}

const routes = [
  { route: MODIFY_VMR_ROUTE, param: 'id', token: () => aliceToken, body: '{"vmrName":"x"}' },
  { route: MODIFY_RESOURCES_ROUTE, param: 'corp_id', token: () => local.spToken, body: `[{"id":"${CORP_A.vmrResourceId}","isDisabled":false}]` },
] as const;

/**
 * The ways a parameter value can appear in a request path: percent-encoded (API Gateway hands the handler the
 * decoded value), double-encoded (must not be decoded twice), and raw where HTTP allows it and it decodes to
 * the same value (a raw `%49` is just an encoded `I`).
 */
function rawForms(value: string): string[] {
  const forms: string[] = [];
  try {
    const encoded = encodeURIComponent(value);
    forms.push(encoded, encodeURIComponent(encoded));
  } catch {
    // A lone surrogate has no encoding.
  }
  if (/^[\x21-\x7e]*$/.test(value) && !/[?#%]/.test(value)) forms.push(value);
  return forms;
}

describe('path parameters', () => {
  it.each(routes)('never reach Huawei unvalidated on $route.id: every generated bad value gets a 4xx', async ({ route, param, token, body }) => {
    // Prepare
    let sent = 0;

    // Act and assess each
    await fc.assert(
      fc.asyncProperty(invalidPathParam, async (value) => {
        for (const form of rawForms(value)) {
          const path = route.path.replace(`{${param}}`, form);
          const answer = await send(`${local.stack.gatewayUrl}${path}`, {
            method: route.method,
            headers: { 'content-type': 'application/json', 'x-access-token': token() },
            body,
          });
          sent += 1;
          expect(answer.status, `${path} -> ${answer.status} ${answer.text}`).toBeGreaterThanOrEqual(400);
          expect(answer.status, `${path} -> ${answer.status} ${answer.text}`).toBeLessThan(500);
        }
      }),
      propertyParameters(runs(150)),
    );

    // Assess what reached Huawei
    expect(await reachedValidatedPathsUnvalidated()).toEqual([]);
    reportCount(`security, bad raw paths on ${route.id}`, sent);
  });

  it('refuse traversal that would climb to another Huawei path', async () => {
    const attempts = [
      `/v1/usg/dcs/member/vmr/../../sp/corp/${CORP_A.corpId}/resource`,
      `/v1/usg/dcs/member/vmr/..%2F..%2Fsp%2Fcorp%2F${CORP_A.corpId}%2Fresource`,
      `/v1/usg/dcs/member/vmr/%2e%2e`,
      `/v1/usg/dcs/sp/corp/${CORP_A.corpId}%2F..%2F818803912/resource`,
      `/v1/usg/dcs/sp/corp/..%2F..%2Fmember%2Fvmr%2F${CORP_A.vmrId}/resource`,
    ];
    for (const path of attempts) {
      const answer = await send(`${local.stack.gatewayUrl}${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-access-token': local.spToken },
        body: '[]',
      });
      expect([400, 404], `${path} -> ${answer.status}`).toContain(answer.status);
    }
    expect(await reachedValidatedPathsUnvalidated()).toEqual([]);
  });
});

describe('the upstream host', () => {
  it('is the configured one whatever the Host and X-Forwarded-Host headers say', async () => {
    const vmrPath = fillPath(MODIFY_VMR_ROUTE.path, { id: CORP_A.vmrId });

    const answer = await send(`${local.stack.gatewayUrl}${vmrPath}`, {
      method: 'PUT',
      headers: {
        host: decoy.host,
        'x-forwarded-host': decoy.host,
        forwarded: `host=${decoy.host}`,
        'content-type': 'application/json',
        'x-access-token': aliceToken,
        'x-request-id': 'host-header-probe',
      },
      body: '{"vmrName":"Host header probe"}',
    });

    expect(answer.status).toBe(200);
    expect((await local.control.requests({ path: vmrPath })).map((r) => r.requestId)).toEqual(['host-header-probe']);
    expect(decoy.hits).toEqual([]);
  });

  it('cannot be named by an absolute-URL request target', async () => {
    // The request line is `PUT http://<decoy>/v1/... HTTP/1.1`, sent to the relay.
    const status = await putWithRequestTarget(`${decoy.url}${fillPath(MODIFY_VMR_ROUTE.path, { id: CORP_A.vmrId })}`, {
      'content-type': 'application/json',
      'x-access-token': aliceToken,
    });

    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(decoy.hits).toEqual([]);
    expect(await local.control.requests({ path: '/v1/usg/dcs/' })).toEqual([]);
  });

  it.each(routes)('cannot be named by `@`, `host:port` or `//host` in the ids of $route.id', async ({ route, param, token }) => {
    const hostile = [`x@${decoy.host}`, decoy.host, `@${decoy.host}`, `//${decoy.host}`, `${decoy.url}/`, `a@127.0.0.1`];
    for (const value of hostile) {
      const path = route.path.replace(`{${param}}`, encodeURIComponent(value));
      const answer = await send(`${local.stack.gatewayUrl}${path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json', 'x-access-token': token() },
        body: route === MODIFY_RESOURCES_ROUTE ? JSON.stringify([{ id: value }]) : '{}',
      });
      expect(answer.status, `${value} -> ${answer.status}`).toBe(400);
    }
    // And in the body, with a valid path.
    if (route === MODIFY_RESOURCES_ROUTE) {
      const path = fillPath(route.path, { corp_id: CORP_A.corpId });
      for (const value of hostile) {
        const answer = await send(`${local.stack.gatewayUrl}${path}`, {
          method: route.method,
          headers: { 'content-type': 'application/json', 'x-access-token': token() },
          body: JSON.stringify([{ id: value }]),
        });
        expect(answer.status, `${value} -> ${answer.status}`).toBe(400);
        expect((answer.json as { error_msg: string }).error_msg).toContain('[0].id');
      }
    }
    expect(decoy.hits).toEqual([]);
    expect(await local.control.requests({ path: '/v1/usg/dcs/' })).toEqual([]);
  });
});
