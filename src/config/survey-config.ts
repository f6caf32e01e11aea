import { SURVEY_PROMPTS } from '../domain/survey/survey-machine.ts';
import type { HotlineConfig } from './hotline-config.ts';

/**
 * Whether callers of `line` hear the satisfaction survey after the counsellor hangs up. A line's
 * `survey: true|false` decides (true requires the survey prompts: checked at start). Unset, it is
 * on for the main line (the default line, 12355) when the survey prompts are configured, and off
 * for the other lines: a config written before the survey existed keeps working as it did.
 */
export function surveyOnLine(config: Pick<HotlineConfig, 'lines' | 'defaultLine' | 'prompts'>, line: string): boolean {
  const l = config.lines[line];
  if (!l) return false;
  if (l.survey !== undefined) return l.survey;
  return line === config.defaultLine && Object.values(SURVEY_PROMPTS).every((id) => Object.hasOwn(config.prompts, id));
}
