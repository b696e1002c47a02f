/**
 * The resource route always records: without REGISTRY_TABLE_NAME its module fails at cold start (a Lambda init
 * error), and so does a gateway that would serve it, rather than answering 200 for updates nobody recorded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { startGateway } from '../../local/gateway/index.js';

beforeAll(() => {
  delete process.env[ENV.registryTableName];
});

describe('resource route without REGISTRY_TABLE_NAME', () => {
  it('fails to load, naming the variable', async () => {
    await expect(import('../../functions/resources/handler.js')).rejects.toThrow(`${ENV.registryTableName} must name the registry table`);
  });

  it('keeps the local gateway from starting', async () => {
    await expect(startGateway({ port: 0 })).rejects.toThrow(`${ENV.registryTableName} must name the registry table`);
  });
});
