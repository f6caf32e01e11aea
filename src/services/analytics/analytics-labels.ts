/** Chinese labels of the analytics tables' groups (categories, grades, lines, centres…). */
import type { AnalyticsOption } from '../../wire/analytics.ts';

export interface AnalyticsLabels {
  /** Both levels, by code (`mental-health`, `mental-health/self-harm`). */
  categories: Map<string, string>;
  grades: Map<number, string>;
  lines: Map<string, string>;
  seasons: Map<string, string>;
  centres: Map<string, string>;
  teams: AnalyticsOption[];
}

export const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
export const NO_VALUE = '未填写';
export const FOLLOW_UP_OUTCOMES: Record<string, string> = {
  'reached-safe': '已联系·安全',
  'needs-help': '已联系·需进一步帮助',
  'not-reached': '未联系上',
  declined: '拒绝回访',
  'wrong-number': '号码错误',
};
export const REACHED_OUTCOMES = ['reached-safe', 'needs-help'];

interface CategoryNodeLike { id: string; label: string; children: Array<{ id: string; label: string }> }

/** Codes and labels of a two-level category tree, parents before their children. */
export function categoryLabels(tree: readonly CategoryNodeLike[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const top of tree) {
    labels.set(top.id, top.label);
    for (const child of top.children) labels.set(`${top.id}/${child.id}`, `${top.label} › ${child.label}`);
  }
  return labels;
}

export const labelOf = <K>(labels: Map<K, string>, key: K | null): string => (key === null ? NO_VALUE : labels.get(key) ?? String(key));
