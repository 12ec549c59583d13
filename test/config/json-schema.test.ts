import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configSchema } from '../../src/config/schema.js';

const committed = path.resolve(__dirname, '../../schema.json');

describe('schema.json', () => {
  it('is what the zod schema generates (run `npm run config:schema` to update it)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });

  it('ships in the package and documents every field', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema.json');
    const schema = configJsonSchema() as { additionalProperties: boolean; properties: Record<string, { description?: string }> };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(Object.keys(configSchema.shape));
    for (const [key, field] of Object.entries(schema.properties)) expect(field.description, key).toBeTruthy();
  });
});
