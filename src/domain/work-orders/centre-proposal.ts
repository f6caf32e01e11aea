/**
 * Which local centre should take an order: the system proposes, a person confirms or changes it.
 * Nearest first (the caller's county, then their city, then a province-level centre), among
 * centres that handle at least one of the case's categories; within a level, the centre that
 * covers more of the categories; ties go to the smallest id, so the proposal never flickers. Pure.
 */
import type { CallerArea } from '../cases/case-form.ts';
import { topLevelOf } from '../cases/categories.ts';

export type CentreLevel = 'province' | 'city' | 'county';

/** What proposing needs to know of a centre (the directory in config/centres.yaml). */
export interface CentreProfile {
  id: string;
  level: CentreLevel;
  city: string | null;
  county: string | null;
  /** Codes it handles: a leaf (`mental-health/self-harm`), a whole top-level category, or `*`. */
  categories: readonly string[];
}

export interface CentreCandidate {
  centreId: string;
  /** 0: the caller's county, 1: the caller's city, 2: province level. */
  distance: 0 | 1 | 2;
  /** How many of the case's categories it handles. */
  covered: number;
}

export interface CentreProposal {
  /** null: no centre handles any of the categories in reach. */
  centreId: string | null;
  /** Every eligible centre, best first (the proposal is the first). */
  candidates: CentreCandidate[];
}

export function handlesCategory(centre: CentreProfile, code: string): boolean {
  return centre.categories.some((c) => c === '*' || c === code || c === topLevelOf(code));
}

function distanceOf(centre: CentreProfile, area: CallerArea | null): 0 | 1 | 2 | null {
  if (centre.level === 'province') return 2;
  if (!area || centre.city !== area.city) return null;
  if (centre.level === 'city') return 1;
  return area.county !== null && centre.county === area.county ? 0 : null;
}

export function proposeCentre(centres: readonly CentreProfile[], area: CallerArea | null, categories: readonly string[]): CentreProposal {
  const candidates: CentreCandidate[] = [];
  for (const centre of centres) {
    const distance = distanceOf(centre, area);
    if (distance === null) continue;
    // A case without categories (unanswered call) can go to any centre in reach.
    const covered = categories.length === 0 ? 1 : categories.filter((code) => handlesCategory(centre, code)).length;
    if (covered > 0) candidates.push({ centreId: centre.id, distance, covered });
  }
  candidates.sort((a, b) => a.distance - b.distance || b.covered - a.covered || (a.centreId < b.centreId ? -1 : a.centreId > b.centreId ? 1 : 0));
  return { centreId: candidates[0]?.centreId ?? null, candidates };
}
