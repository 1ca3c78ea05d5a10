import { describe, expect, it } from 'vitest';
import { appCatalogSchema, DEFAULT_APP_CATALOG, resolveAppCatalog } from './app-catalog.js';

function recorder() {
  const lines: Array<{ obj: unknown; msg: string }> = [];
  return { lines, logger: { error: (obj: unknown, msg: string) => void lines.push({ obj, msg }) } as never };
}

/** The bundled catalog with the iOS list replaced. */
function withIos(ios: unknown[]): unknown {
  const copy = structuredClone(DEFAULT_APP_CATALOG) as unknown as { vless: Record<string, unknown> };
  copy.vless.ios = ios;
  return copy;
}

const streisandOnly = [
  { id: 'streisand', name: 'Streisand', deepLink: true, stores: [{ label: 'App Store', url: 'https://apps.apple.com/app/id6450534064' }] },
];

describe('the client.apps catalog setting', () => {
  it('the bundled catalog only offers "add to app" for apps the /go page knows', () => {
    expect(appCatalogSchema.safeParse(DEFAULT_APP_CATALOG).success).toBe(true);
  });

  it('a valid setting overrides the bundled catalog', () => {
    const { lines, logger } = recorder();
    const catalog = resolveAppCatalog(withIos(streisandOnly), logger);
    expect(catalog.vless.ios.map((a) => a.id)).toEqual(['streisand']);
    expect(catalog).not.toEqual(DEFAULT_APP_CATALOG);
    expect(lines).toEqual([]);
  });

  it('unset is the bundled catalog, without a log line', () => {
    const { lines, logger } = recorder();
    expect(resolveAppCatalog(null, logger)).toBe(DEFAULT_APP_CATALOG);
    expect(lines).toEqual([]);
  });

  it('an "add to app" id the /go page does not know is logged and the bundled catalog used', () => {
    const { lines, logger } = recorder();
    const unknown = [
      {
        id: 'nekobox',
        name: 'NekoBox',
        deepLink: true,
        stores: [{ label: 'GitHub', url: 'https://github.com/MatsuriDayo/NekoBoxForAndroid' }],
      },
    ];
    expect(resolveAppCatalog(withIos(unknown), logger)).toBe(DEFAULT_APP_CATALOG);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toContain('client.apps is invalid');
    expect(JSON.stringify(lines[0]?.obj)).toContain('vless.ios.0.id');
    // The same app without a one-tap button is fine (store link and copy only).
    const copyOnly = resolveAppCatalog(withIos([{ ...unknown[0], deepLink: false }]), logger);
    expect(copyOnly.vless.ios[0]?.id).toBe('nekobox');
  });

  it('a malformed setting (wrong shape, http store link) falls back to the bundled catalog', () => {
    const { lines, logger } = recorder();
    expect(resolveAppCatalog({ vless: 'happ' }, logger)).toBe(DEFAULT_APP_CATALOG);
    expect(resolveAppCatalog(withIos([{ ...streisandOnly[0], stores: [{ label: 'x', url: 'http://apps.example/x' }] }]), logger)).toBe(
      DEFAULT_APP_CATALOG,
    );
    expect(lines).toHaveLength(2);
  });
});
