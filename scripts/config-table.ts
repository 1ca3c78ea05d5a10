/**
 * Prints the configuration table for the README from the zod schemas, so the documentation
 * cannot drift from what the processes accept:  pnpm exec tsx scripts/config-table.ts
 */
import { allSchemas, z } from '@vpn/config';

function describe(schema: z.ZodType): { required: boolean; def: string; description: string } {
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
  return { required, def, description: description || (s.description ?? '') };
}

export function configTable(): string {
  const rows = ['| variable | group | required | default | meaning |', '| --- | --- | --- | --- | --- |'];
  for (const [group, schema] of Object.entries(allSchemas)) {
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const d = describe(field);
      const cell = (v: string) => v.replace(/\|/g, '\\|');
      rows.push(`| \`${key}\` | ${group.replace(/Schema$/, '')} | ${d.required ? 'yes' : 'no'} | ${d.def ? `\`${cell(d.def)}\`` : ''} | ${cell(d.description)} |`);
    }
  }
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${configTable()}\n`);
