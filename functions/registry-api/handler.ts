/**
 * Lambda entry of the registry read API (REGISTRY_ROUTES): one function for the three GET routes, read-only access
 * to the registry table and its due index. API Gateway's IAM authorizer admits only signed operator calls.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV } from '../shared/env.js';
import { requireEnv } from '../shared/env-values.js';
import { createRegistryDocumentClient } from '../shared/registry/document-client.js';
import { RegistryStore } from '../shared/registry/store.js';
import { handleRegistryApi } from './api.js';

const tableName = requireEnv(process.env, ENV.registryTableName, 'must name the registry table');
const store = new RegistryStore({ documentClient: createRegistryDocumentClient(), tableName });

export const handler = (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
  handleRegistryApi(event, { store, now: Date.now });
