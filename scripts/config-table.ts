/**
 * The configuration table of README.md (section Configuration), generated from the zod schemas so
 * the documentation cannot drift from what the processes accept.
 *   pnpm exec tsx scripts/config-table.ts           print the table
 *   pnpm exec tsx scripts/config-table.ts --write   replace the table in README.md
 * scripts/config-table.test.ts fails while README.md differs from configTable().
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allSchemas, z } from '@vpn/config';

const repoRoot = join(import.meta.dirname, '..');
export const README_PATH = join(repoRoot, 'README.md');
const SCHEMAS_PATH = join(repoRoot, 'packages', 'config', 'src', 'schemas.ts');
export const TABLE_START = '<!-- config-table:start (generated: pnpm exec tsx scripts/config-table.ts --write) -->';
export const TABLE_END = '<!-- config-table:end -->';
export const REGENERATE = 'pnpm exec tsx scripts/config-table.ts --write';

/**
 * The schemas document their keys with TSDoc comments (`/** … *\/` above the key), which zod
 * cannot see; read them from the source so `.describe()` is not needed on every key.
 */
function docComments(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*([A-Z][A-Z0-9_]*)\s*:/g)) {
    const text = (m[1] ?? '')
      .replace(/^\s*\* ?/gm, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (m[2]) out.set(m[2], text);
  }
  return out;
}

interface Field {
  required: boolean;
  def: string;
  description: string;
  values: string[];
}

function describeField(schema: z.ZodType): Field {
  let s: z.ZodType = schema;
  let required = true;
  let def = '';
  const description = schema.description ?? '';
  for (;;) {
    if (s instanceof z.ZodDefault) {
      required = false;
      const value: unknown = s.def.defaultValue;
      def = Array.isArray(value) ? value.join(',') : String(value);
      s = s.def.innerType as z.ZodType;
    } else if (s instanceof z.ZodOptional) {
      required = false;
      s = s.def.innerType as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.def.in as z.ZodType;
    } else break;
  }
  const options = s instanceof z.ZodEnum ? s.options.map(String) : [];
  // The schemas' `bool` accepts true/false/1/0/yes/no; true and false say it.
  const values = options.includes('true') && options.includes('false') ? ['true', 'false'] : options;
  return { required, def, description: description || (s.description ?? ''), values };
}

/** The table for `schemas` (default: every schema of @vpn/config), meanings from their `source`. */
export function configTable(
  schemas: Record<string, { shape: Record<string, z.ZodType> }> = allSchemas,
  source = readFileSync(SCHEMAS_PATH, 'utf8'),
): string {
  const docs = docComments(source);
  const cell = (v: string) => v.replace(/\|/g, '\\|');
  const rows = ['| variable | group | required | default | meaning |', '| --- | --- | --- | --- | --- |'];
  for (const [group, schema] of Object.entries(schemas)) {
    for (const [key, field] of Object.entries(schema.shape)) {
      const d = describeField(field);
      const meaning = [d.description || docs.get(key) || '', d.values.length ? `One of ${d.values.map((v) => `\`${v}\``).join(', ')}.` : '']
        .filter(Boolean)
        .join(' ');
      rows.push(
        `| \`${key}\` | ${group.replace(/Schema$/, '')} | ${d.required ? 'yes' : 'no'} | ${d.def ? `\`${cell(d.def)}\`` : ''} | ${cell(meaning)} |`,
      );
    }
  }
  return rows.join('\n');
}

/** The table currently in `readme` between the markers, or undefined when the markers are missing. */
export function readmeTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** `readme` with the text between the markers replaced by `table`; only that section changes. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write')) {
    // Read just before writing: other sections of the README may have changed meanwhile.
    writeFileSync(README_PATH, withTable(readFileSync(README_PATH, 'utf8'), configTable()));
    process.stdout.write(`README.md: configuration table updated\n`);
  } else process.stdout.write(`${configTable()}\n`);
}
