import type { CaseRules } from '../../../src/domain/cases/case-form.ts';
import type { CategoryTree } from '../../../src/domain/cases/categories.ts';

export const tree: CategoryTree = [
  { id: 'interpersonal', label: '人际关系', children: [{ id: 'peers', label: '同学' }, { id: 'parent-child', label: '亲子' }, { id: 'teachers', label: '师生' }] },
  { id: 'romance', label: '恋爱情感', children: [] },
  { id: 'mental-health', label: '心理健康', children: [{ id: 'depression', label: '抑郁' }, { id: 'anxiety', label: '焦虑' }, { id: 'self-harm', label: '自伤或自杀念头' }] },
  { id: 'other', label: '其他', children: [] },
];

export const rules = (facts: Partial<CaseRules['facts']> = {}): CaseRules => ({
  categories: tree,
  facts: { escalated: false, emergencyKey: false, ...facts },
  autoOrderGrades: [1, 2],
  summaryMaxLength: 20,
  isKnownArea: (a) => a.city === '广州市' && (a.county === null || a.county === '天河区'),
});
