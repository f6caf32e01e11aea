import type { Language } from '../../domain/calls/routing-request.ts';
import type { Sound } from '../../ports/telephony.ts';

/** Hotline prompts by id, all in one language: what most playbacks are. */
export function promptsIn(language: Language, promptIds: string[]): Sound[] {
  return promptIds.map((prompt) => ({ prompt, language }));
}

export const MOH_CLASS = 'hotline';
