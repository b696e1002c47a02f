import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, jsonSchemaOf, OPENAPI_FILE, openApiDocumentText } from '../../lib/openapi/document.js';
import { projectPath } from '../../lib/paths.js';
import { modResourcesBodySchema, modVmrBodySchema } from '../../functions/shared/huawei/schemas.js';
import { HTTP_ROUTES, PASSTHROUGH_PREFIXES, REGISTRY_ROUTES } from '../../functions/shared/routes.js';
import { corpResourcesQuerySchema } from '../../functions/registry-api/schemas.js';

const written = readFileSync(projectPath(OPENAPI_FILE), 'utf8');
const document = JSON.parse(written) as {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; tags?: string[] }>>;
};

describe('docs/openapi.json', () => {
  it('is current: equal to what `npm run openapi` writes from the route table and schemas', () => {
    expect(written, 'run `npm run openapi` and commit docs/openapi.json').toBe(openApiDocumentText());
  });

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(buildOpenApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('the validator refuses a broken document (so the check above can fail)', async () => {
    const broken = { ...buildOpenApiDocument(), paths: { '/x': { get: { responses: 'none' } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('describes every validated route with the body schema its handler uses', () => {
    const bodies: Record<string, unknown> = {
      'modify-vmr': jsonSchemaOf(modVmrBodySchema),
      'modify-resources': jsonSchemaOf(modResourcesBodySchema),
    };
    for (const route of HTTP_ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.requestBody?.content['application/json']?.schema).toEqual(bodies[route.id]);
    }
  });

  it('the body schemas carry the rules the handlers enforce (a limit change shows up here)', () => {
    const resources = jsonSchemaOf(modResourcesBodySchema) as { minItems: number; maxItems: number; items: { additionalProperties: boolean; required: string[] } };
    expect(resources.minItems).toBe(1);
    expect(resources.maxItems).toBe(100);
    expect(resources.items.additionalProperties).toBe(false);
    expect(resources.items.required).toEqual(['id']);
  });

  it('describes the registry API routes as SigV4-signed, with the query parameters of the schemas their handler parses', () => {
    const operations = document.paths as unknown as Record<string, Record<string, { security?: unknown; parameters?: Array<{ name: string; in: string; schema: unknown }>; responses: Record<string, unknown> }>>;
    for (const route of REGISTRY_ROUTES) {
      const operation = operations[route.path]?.get;
      expect(operation?.security, route.path).toEqual([{ sigv4: [] }]);
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '503']));
    }
    const corp = operations[REGISTRY_ROUTES[0]?.path ?? '']?.get;
    const properties = (jsonSchemaOf(corpResourcesQuerySchema) as { properties: Record<string, unknown> }).properties;
    expect(corp?.parameters?.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])).toEqual(Object.entries(properties));
  });

  it('describes every passthrough prefix as a passthrough', () => {
    for (const prefix of PASSTHROUGH_PREFIXES) {
      const item = document.paths[`${prefix}{proxy}`];
      expect(item?.get?.tags).toEqual(['passthrough']);
      expect(item?.put?.requestBody).toBeUndefined();
    }
  });
});
