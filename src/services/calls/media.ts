import type { Language } from '../../domain/calls/routing-request.ts';

/** Prompt ids become Asterisk media URIs under the rendered sounds directory. */
export function promptUri(language: Language, promptId: string): string {
  return `sound:hotline/${language}/${promptId}`;
}

export const MOH_CLASS = 'hotline';
