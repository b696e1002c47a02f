import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the AWS Secrets Manager service (which cannot run here): it answers
 * `secretsmanager.GetSecretValue` in the JSON 1.1 protocol the real AWS SDK client speaks. Only the transport
 * endpoint is fake; the SDK client, Powertools' SecretsProvider and our code are the production ones.
 */
export interface FakeSecretsManager {
  url: string;
  /** Sets (or rotates) a secret's SecretString. */
  put(secretId: string, value: string): void;
  /** SecretIds of the GetSecretValue calls received, in order. */
  readonly calls: string[];
  stop(): Promise<void>;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, { value: string; version: number }>();
  const calls: string[] = [];

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return reply(res, 400, { __type: 'UnknownOperationException', message: `unsupported ${String(target)}` });
    }
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: string };
    const secretId = input.SecretId ?? '';
    calls.push(secretId);
    const secret = secrets.get(secretId);
    if (secret === undefined) {
      return reply(res, 400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    }
    return reply(res, 200, {
      ARN: secretId,
      Name: secretId.split(':').at(-1),
      VersionId: `v${secret.version}`,
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1767225600,
    });
  }

  function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
    if (status !== 200) headers['x-amzn-errortype'] = String(body.__type);
    res.writeHead(status, headers).end(JSON.stringify(body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    put(secretId, value) {
      const version = (secrets.get(secretId)?.version ?? 0) + 1;
      secrets.set(secretId, { value, version });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
