import { z } from 'zod';
import type { RouteSpec } from './route.js';

/** `/api/users/:id` → `/api/users/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function parameters(spec: RouteSpec) {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      const type = field as z.ZodType;
      out.push({
        name,
        in: where,
        required: where === 'path' || !type.safeParse(undefined).success,
        schema: z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }),
      });
    }
  }
  return out;
}

/**
 * The OpenAPI 3.1 document of every route, from the same zod schemas that validate requests.
 * Sign-in is a cookie (the dashboard) or a Bearer access token (scripts).
 */
export function openApiDocument(routes: readonly RouteSpec[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const item = (paths[openApiPath(spec.path)] ??= {});
    item[spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method}${openApiPath(spec.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(spec.access === 'public' ? { security: [] } : {}),
      ...(spec.access !== 'public' && spec.access !== 'signed-in' ? { 'x-permission': spec.access } : {}),
      parameters: parameters(spec),
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) } },
            },
          }
        : {}),
      responses: {
        [String(spec.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: {} } } },
        ...(spec.access === 'public'
          ? {}
          : { '401': { $ref: '#/components/responses/Error' }, '403': { $ref: '#/components/responses/Error' } }),
        '422': { $ref: '#/components/responses/Error' },
        '429': { $ref: '#/components/responses/Error' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'VPN shop admin API', version: info.version, description: 'The admin bot’s actions, roles and audit log over HTTP.' },
    servers: [{ url: '/' }],
    security: [{ cookie: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        cookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'vpn_access',
          description: 'Writes also need X-CSRF-Token equal to the vpn_csrf cookie.',
        },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      responses: {
        Error: {
          description: 'A refusal: what went wrong and, for bad input, which field.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['error'],
                properties: {
                  error: { type: 'string' },
                  message: { type: 'string' },
                  field: { type: 'string' },
                  details: { type: 'object' },
                },
              },
            },
          },
        },
      },
    },
    paths,
  };
}
