import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** What boundary tests read: the import and re-export statements of the repository's TypeScript. */

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface SourceImport {
  /** The importing file, relative to the repository. */
  file: string;
  /** A relative specifier resolved to a repository path; a package name as written. */
  target: string;
  typeOnly: boolean;
}

export function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

export function importsOf(file: string): SourceImport[] {
  const source = readFileSync(file, 'utf8');
  const found: SourceImport[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+'([^']+)'/gms)) {
    const spec = m[2] as string;
    const target = spec.startsWith('.') ? relative(repoRoot, resolve(dirname(file), spec)) : spec;
    found.push({ file: relative(repoRoot, file), target, typeOnly: m[1] !== undefined });
  }
  return found;
}

/** Every import of the .ts files under `dir` (relative to the repository). */
export function importsUnder(dir: string): SourceImport[] {
  return tsFiles(resolve(repoRoot, dir)).flatMap(importsOf);
}
