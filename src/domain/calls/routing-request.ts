/**
 * What the IVR hands to the queue: everything routing needs to know about a caller.
 * Produced by the pure IVR engine, consumed by the pure matcher.
 */

/** Languages callers speak in Guangdong. Codes follow ISO 639-3 (also espeak-ng voice names). */
export const LANGUAGES = ['cmn', 'yue', 'hak', 'nan'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Priorities: higher is more urgent. Emergencies go ahead of everyone, then callbacks, then the rest. */
export const PRIORITY = { normal: 0, callback: 50, highRisk: 80, emergency: 100 } as const;

/** One step of the caller's path through the menus, kept on the call record for analytics. */
export interface PathStep {
  menu: string;
  /** The digits pressed, or '' when the step ended by timeout / fallback. */
  input: string;
  outcome: 'option' | 'invalid' | 'timeout' | 'fallback' | 'season-closed';
  at: string; // ISO timestamp
}

export interface RoutingRequest {
  /** Line id from config (e.g. 'main', 'exam'), not the dialled number. */
  line: string;
  /** Need id from config: psychological, legal, hardship, exam_stress, general, emergency. */
  need: string;
  /** Skills a counsellor must have (all of them). Empty means any counsellor. */
  skills: string[];
  language: Language;
  priority: number;
  highRisk: boolean;
  /** Prompt ids to play once queued, before music on hold (privacy and recording notice). */
  announce: string[];
}
