/**
 * A recording proxy on loopback between the product and the Huawei simulator: the product's only upstream is
 * this proxy (HUAWEI_MEETING_BASE_URL), which forwards every request unchanged and remembers every secret that
 * crossed the wire: access tokens sent (X-Access-Token) and issued (`accessToken` in answers), Authorization
 * header values, and the parts of them that are secret on their own (Basic credentials, HMAC signatures).
 * Nothing is mocked: the tap only reads what the real client and the real simulator exchange.
 */
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireTap {
  url: string;
  /** Every secret value seen so far. */
  secrets(): Set<string>;
  /** Requests forwarded so far, by method and path. */
  readonly forwarded: string[];
  stop(): Promise<void>;
}

export async function startWireTap(targetUrl: string): Promise<WireTap> {
  const target = new URL(targetUrl);
  const secrets = new Set<string>();
  const forwarded: string[] = [];

  const remember = (headers: IncomingHttpHeaders) => {
    const token = headers['x-access-token'];
    if (typeof token === 'string' && token !== '') secrets.add(token);
    const authorization = headers.authorization;
    if (typeof authorization === 'string') {
      secrets.add(authorization);
      const basic = /^Basic (.+)$/i.exec(authorization)?.[1];
      if (basic) {
        secrets.add(basic);
        const decoded = Buffer.from(basic, 'base64').toString('utf8');
        const password = decoded.slice(decoded.indexOf(':') + 1);
        if (password !== '') secrets.add(password);
      }
      const signature = /signature=([0-9a-fA-F]+)/.exec(authorization)?.[1];
      if (signature) secrets.add(signature);
    }
  };

  const server = createServer((incoming, outgoing) => {
    remember(incoming.headers);
    forwarded.push(`${incoming.method} ${incoming.url}`);
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          for (const match of body.toString('utf8').matchAll(/"(?:accessToken|refreshToken)"\s*:\s*"([^"]+)"/g)) {
            if (match[1]) secrets.add(match[1]);
          }
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          outgoing.end(body);
        });
      },
    );
    // A reset by the simulator (an injected fault) is passed on as a reset.
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    secrets: () => new Set(secrets),
    forwarded,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
