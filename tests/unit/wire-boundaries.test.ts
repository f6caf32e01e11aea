import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * src/wire is the contract the pages share with the service, so it must bundle for the browser
 * and point inward: types only from src/domain and src/ports, code only from itself. The pages
 * reach into src/ through src/wire alone.
 */

const root = resolve(import.meta.dirname, '../..');

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): Import[] {
  const source = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+'([^']+)'/gms)) {
    const spec = m[2] as string;
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : spec;
    found.push({ file: relative(root, file), target, typeOnly: m[1] !== undefined });
  }
  return found;
}

describe('src/wire boundaries', () => {
  it('imports types only from src/domain, src/ports and itself, and code only from itself', () => {
    const imports = tsFiles(resolve(root, 'src/wire')).flatMap(importsOf);
    expect(imports.length).toBeGreaterThan(0);
    const wrong = imports.filter(({ target, typeOnly }) =>
      target.startsWith('src/wire/') ? false : !typeOnly || !/^src\/(domain|ports)\//.test(target),
    );
    expect(wrong).toEqual([]);
  });

  it('is the only part of src/ the pages import', () => {
    const imports = tsFiles(resolve(root, 'web/src')).flatMap(importsOf);
    const intoSrc = imports.filter((i) => i.target.startsWith('src/'));
    expect(intoSrc.length).toBeGreaterThan(0);
    expect(intoSrc.filter((i) => !i.target.startsWith('src/wire/'))).toEqual([]);
  });
});
