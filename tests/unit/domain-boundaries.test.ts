import { describe, expect, it } from 'vitest';
import { importsUnder } from '../support/source-imports.ts';

/**
 * src/domain owns the types its pure code decides on (e.g. the IVR's `HotlineRules`); src/config
 * validates files into them. So imports point from config to domain, never back: the engine must
 * not depend on how a YAML file is parsed, nor on any layer above it.
 */

describe('src/domain boundaries', () => {
  it('imports nothing from src/config, or from the layers that use it', () => {
    const imports = importsUnder('src/domain');
    expect(imports.length).toBeGreaterThan(0);
    const upward = imports.filter(({ target }) => /^src\/(config|services|adapters|ports|wire|app\.ts)/.test(target));
    expect(upward).toEqual([]);
  });

  it('is what src/config builds on: config imports the domain, the one direction allowed', () => {
    const intoDomain = importsUnder('src/config').filter(({ target }) => target.startsWith('src/domain/'));
    expect(intoDomain.map((i) => i.target)).toContain('src/domain/ivr/hotline-rules.ts');
  });
});
