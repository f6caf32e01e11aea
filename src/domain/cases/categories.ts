/**
 * The case categories (分类): a two-level tree kept in config (e.g. 人际关系 › 同学). A case is filed
 * under one or more leaves: a top-level category without children, or a child written
 * `parent/child`. Pure: the tree is an argument.
 */

export interface CategoryChild {
  id: string;
  label: string;
}

export interface CategoryNode {
  id: string;
  label: string;
  children: CategoryChild[];
}

export type CategoryTree = readonly CategoryNode[];

export type CategoryError =
  | { code: 'category-unknown'; category: string }
  | { code: 'category-needs-subcategory'; category: string }
  | { code: 'category-duplicate'; category: string };

/** Every code a case may carry, in tree order. */
export function leafCodes(tree: CategoryTree): string[] {
  return tree.flatMap((node) => (node.children.length === 0 ? [node.id] : node.children.map((c) => `${node.id}/${c.id}`)));
}

/** The top-level category of a code (`mental-health/anxiety` → `mental-health`). */
export function topLevelOf(code: string): string {
  const slash = code.indexOf('/');
  return slash === -1 ? code : code.slice(0, slash);
}

/** Problems with a chosen list of categories; empty when every code is a known, distinct leaf. */
export function checkCategories(tree: CategoryTree, chosen: readonly string[]): CategoryError[] {
  const leaves = new Set(leafCodes(tree));
  const parents = new Set(tree.filter((n) => n.children.length > 0).map((n) => n.id));
  const seen = new Set<string>();
  const errors: CategoryError[] = [];
  for (const code of chosen) {
    if (seen.has(code)) errors.push({ code: 'category-duplicate', category: code });
    else if (parents.has(code)) errors.push({ code: 'category-needs-subcategory', category: code });
    else if (!leaves.has(code)) errors.push({ code: 'category-unknown', category: code });
    seen.add(code);
  }
  return errors;
}

/**
 * Problems in the tree itself (used by config validation): duplicate ids at one level, ids that
 * would make codes ambiguous. Returns messages with the offending path.
 */
export function checkCategoryTree(tree: CategoryTree): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const top = new Set<string>();
  tree.forEach((node, i) => {
    if (top.has(node.id)) problems.push({ path: `categories.${i}.id`, message: `duplicate category ${node.id}` });
    top.add(node.id);
    const children = new Set<string>();
    node.children.forEach((child, j) => {
      if (children.has(child.id)) problems.push({ path: `categories.${i}.children.${j}.id`, message: `duplicate subcategory ${node.id}/${child.id}` });
      children.add(child.id);
    });
  });
  return problems;
}
