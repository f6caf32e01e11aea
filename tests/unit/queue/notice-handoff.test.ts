import { describe, expect, it } from 'vitest';
import { onCounsellorAnswered, onNoticeEnded, whisperPrompts } from '../../../src/domain/queue/notice-handoff.ts';

const ALL = new Set([
  'whisper_new_call', 'whisper_high_risk', 'whisper_line_main', 'whisper_line_exam', 'whisper_need_general', 'whisper_need_emergency',
  'whisper_notice_wait',
]);

describe('the notice and the hand-off, overlapped', () => {
  it('bridges at once when the caller is not hearing the notice (emergency, or it ended)', () => {
    expect(onCounsellorAnswered({ hearingNotice: false, call: { line: 'main', need: 'general', highRisk: false }, known: ALL })).toEqual({ type: 'bridge' });
  });

  it('whispers the line and need to a counsellor who answers during the notice, instead of bridging', () => {
    expect(onCounsellorAnswered({ hearingNotice: true, call: { line: 'exam', need: 'general', highRisk: false }, known: ALL })).toEqual({
      type: 'whisper', prompts: ['whisper_new_call', 'whisper_line_exam', 'whisper_need_general', 'whisper_notice_wait'],
    });
  });

  it('says high risk first when the caller is high-risk', () => {
    expect(whisperPrompts({ line: 'main', need: 'emergency', highRisk: true }, ALL))
      .toEqual(['whisper_new_call', 'whisper_high_risk', 'whisper_line_main', 'whisper_need_emergency', 'whisper_notice_wait']);
  });

  it('leaves out a line or need the configuration has no whisper prompt for', () => {
    expect(whisperPrompts({ line: 'pilot', need: 'housing', highRisk: false }, ALL)).toEqual(['whisper_new_call', 'whisper_notice_wait']);
    expect(whisperPrompts({ line: 'main', need: 'general', highRisk: false }, new Set())).toEqual([]);
  });

  it('bridges at the end of the notice only if the answer still stands', () => {
    expect(onNoticeEnded({ answerStillCurrent: true })).toEqual({ type: 'bridge' });
    expect(onNoticeEnded({ answerStillCurrent: false })).toEqual({ type: 'wait' });
  });
});
