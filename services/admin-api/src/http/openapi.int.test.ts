import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../testing/harness.js';
import { openApiPath } from './openapi.js';

const h = useApiHarness();

describe('the OpenAPI document', () => {
  it('lists every route the app serves, with its permission, from the same schemas', async () => {
    const res = await h.call(null, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // What the router really serves (not the list the document was made from).
    const served = h.api.routes.map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`);
    expect(new Set(documented)).toEqual(new Set(served));
    expect(res.body.paths['/api/users/{id}/extend'].post['x-permission']).toBe('customers:extend');
    expect(res.body.paths['/api/users/{id}/extend'].post.requestBody.content['application/json'].schema.properties.days).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 3650,
    });
    // Seed 001's paths exist as listed (those this API serves so far).
    for (const path of ['/api/auth/telegram', '/api/users', '/api/payments']) expect(res.body.paths[path]).toBeDefined();
  });

  it('serves each documented route: a request to it never falls through to 404', async () => {
    for (const r of h.api.routes) {
      const path = r.path.replace(':id', r.tag === 'payments' ? '00000000-0000-4000-8000-000000000000' : '1');
      const res = await h.call(null, r.method.toUpperCase(), path, r.method === 'get' ? undefined : {});
      expect(res.status, `${r.method} ${r.path}`).not.toBe(404);
    }
  });
});
