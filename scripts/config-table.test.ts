import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTable, README_PATH, readmeTable, REGENERATE, TABLE_END, TABLE_START, withTable } from './config-table.js';

describe('README configuration table', () => {
  it('is exactly what configTable() generates from the zod schemas', () => {
    const table = readmeTable(readFileSync(README_PATH, 'utf8'));
    expect(table, `README.md has no ${TABLE_START} … ${TABLE_END} section: add it under "## Configuration"`).toBeDefined();
    expect(
      table,
      `README.md's configuration table differs from packages/config/src/schemas.ts: run \`${REGENERATE}\` and commit README.md`,
    ).toBe(configTable());
  });

  it('lists every key of every schema, with required keys marked and TSDoc meanings read from the source', () => {
    const table = configTable();
    expect(table).toMatch(/^\| `ENCRYPTION_KEY` \| encryption \| yes \| {2}\| 32 bytes as 64 hex characters/m);
    expect(table).toMatch(/^\| `DATABASE_POOL_MAX` \| database \| no \| `10` \|/m);
    expect(table).toMatch(/^\| `NODE_ENV` \| base \| no \| `development` \| One of `development`, `production`, `test`\. \|$/m);
  });

  it('replaces only the text between the markers', () => {
    const readme = `# T\n\n## Configuration\n\n${TABLE_START}\nold\n${TABLE_END}\n\n## Deployment\nkeep\n`;
    const next = withTable(readme, '| new |');
    expect(next).toBe(`# T\n\n## Configuration\n\n${TABLE_START}\n| new |\n${TABLE_END}\n\n## Deployment\nkeep\n`);
    expect(readmeTable(next)).toBe('| new |');
    expect(() => withTable('# no markers', 'x')).toThrow(/markers/);
  });
});
