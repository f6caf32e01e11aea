import { describe, expect, it } from 'vitest';
import { importsUnder } from '../support/source-imports.ts';

/**
 * src/wire is the contract the pages share with the service, so it must bundle for the browser
 * and point inward: types only from src/domain and src/ports, code only from itself. The pages
 * reach into src/ through src/wire alone.
 */

describe('src/wire boundaries', () => {
  it('imports types only from src/domain, src/ports and itself, and code only from itself', () => {
    const imports = importsUnder('src/wire');
    expect(imports.length).toBeGreaterThan(0);
    const wrong = imports.filter(({ target, typeOnly }) =>
      target.startsWith('src/wire/') ? false : !typeOnly || !/^src\/(domain|ports)\//.test(target),
    );
    expect(wrong).toEqual([]);
  });

  it('is the only part of src/ the pages import', () => {
    const imports = importsUnder('web/src');
    const intoSrc = imports.filter((i) => i.target.startsWith('src/'));
    expect(intoSrc.length).toBeGreaterThan(0);
    expect(intoSrc.filter((i) => !i.target.startsWith('src/wire/'))).toEqual([]);
  });
});
