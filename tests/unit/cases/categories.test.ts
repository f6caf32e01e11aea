import { describe, expect, it } from 'vitest';
import { checkCategories, checkCategoryTree, leafCodes, topLevelOf } from '../../../src/domain/cases/categories.ts';
import { tree } from './fixtures.ts';

describe('the category tree', () => {
  it('lists the codes a case may carry: children as parent/child, childless categories as themselves', () => {
    expect(leafCodes(tree)).toEqual([
      'interpersonal/peers', 'interpersonal/parent-child', 'interpersonal/teachers', 'romance',
      'mental-health/depression', 'mental-health/anxiety', 'mental-health/self-harm', 'other',
    ]);
    expect(topLevelOf('mental-health/anxiety')).toBe('mental-health');
    expect(topLevelOf('romance')).toBe('romance');
  });

  it('accepts several known leaves and names every problem', () => {
    expect(checkCategories(tree, ['romance', 'mental-health/self-harm'])).toEqual([]);
    expect(checkCategories(tree, ['mental-health', 'romance/x', 'nope', 'romance', 'romance'])).toEqual([
      { code: 'category-needs-subcategory', category: 'mental-health' },
      { code: 'category-unknown', category: 'romance/x' },
      { code: 'category-unknown', category: 'nope' },
      { code: 'category-duplicate', category: 'romance' },
    ]);
  });

  it('finds duplicate ids in the tree with their path', () => {
    expect(checkCategoryTree(tree)).toEqual([]);
    const bad = [...tree, { id: 'romance', label: 'x', children: [{ id: 'a', label: 'a' }, { id: 'a', label: 'b' }] }];
    expect(checkCategoryTree(bad)).toEqual([
      { path: 'categories.4.id', message: 'duplicate category romance' },
      { path: 'categories.4.children.1.id', message: 'duplicate subcategory romance/a' },
    ]);
  });
});
