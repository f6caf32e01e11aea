import { afterEach, describe, expect, it } from 'vitest';
import { pickLocale, setLocale, t } from '../../../web/src/shared/i18n.ts';
import {
  escalationText,
  languageLabel,
  lineLabel,
  needLabel,
  pathText,
  priorityLevel,
  statusClass,
  statusLabel,
  statusText,
} from '../../../web/src/shared/labels.ts';
import type { CounsellorStatus } from '../../../src/wire/counsellors.ts';

afterEach(() => setLocale('zh-CN'));

describe('state labels', () => {
  it('has a Chinese label and a class for every counsellor status', () => {
    const all: CounsellorStatus[] = ['offline', 'available', 'offered', 'on-call', 'wrap-up', 'paused'];
    expect(all.map(statusLabel)).toEqual(['离线', '空闲', '振铃中', '通话中', '话后整理', '暂停']);
    expect(statusClass('on-call')).toBe('status-on-call');
  });
  it('adds the pause reason', () => {
    expect(statusText('paused', 'break')).toBe('暂停（休息）');
    expect(statusText('paused', 'no-answer')).toBe('暂停（多次未接，自动暂停）');
    expect(statusText('paused', 'custom reason')).toBe('暂停（custom reason）');
    expect(statusText('available', null)).toBe('空闲');
  });
  it('names needs, lines and languages, falling back to the code', () => {
    expect(needLabel('psychological')).toBe('心理咨询');
    expect(needLabel('emergency')).toBe('紧急求助');
    expect(lineLabel('main')).toBe('12355 主线');
    expect(languageLabel('yue')).toBe('粤语');
    expect(needLabel('new_need')).toBe('new_need');
  });
  it('labels escalation states, with time once connected', () => {
    expect(escalationText('dialling', null)).toBe('正在呼叫110');
    expect(escalationText('connected', 65)).toBe('110已接通 01:05');
    expect(escalationText('failed', 3)).toBe('转接110失败');
  });
});

describe('priorityLevel', () => {
  it('reads the service numbers and names', () => {
    expect(priorityLevel(0, false)).toBe('normal');
    expect(priorityLevel(50, false)).toBe('callback');
    expect(priorityLevel(80, false)).toBe('high');
    expect(priorityLevel(100, false)).toBe('emergency');
    expect(priorityLevel('emergency', false)).toBe('emergency');
    expect(priorityLevel('whatever', false)).toBe('normal');
  });
  it('shows a high-risk caller as high at least', () => {
    expect(priorityLevel(0, true)).toBe('high');
    expect(priorityLevel(100, true)).toBe('emergency');
  });
});

describe('IVR path', () => {
  it('reads menus and outcomes', () => {
    expect(
      pathText([
        { menu: 'language', input: '1', outcome: 'option', at: '2025-01-01T00:00:00Z' },
        { menu: 'main', input: '', outcome: 'timeout', at: '2025-01-01T00:00:05Z' },
        { menu: 'main', input: '7', outcome: 'invalid', at: '2025-01-01T00:00:09Z' },
        { menu: 'main', input: '1', outcome: 'option', at: '2025-01-01T00:00:12Z' },
      ]),
    ).toBe('语言选择 1 → 主菜单（超时） → 主菜单 7（无效） → 主菜单 1');
    expect(pathText([])).toBe('（无按键）');
  });
});

describe('i18n', () => {
  it('picks zh-CN unless asked for yue', () => {
    expect(pickLocale('', null)).toBe('zh-CN');
    expect(pickLocale('?lang=yue', null)).toBe('yue');
    expect(pickLocale('', 'yue')).toBe('yue');
    expect(pickLocale('?lang=fr', 'xx')).toBe('zh-CN');
  });
  it('falls back to zh-CN for keys the Cantonese table lacks, and fills placeholders', () => {
    setLocale('yue');
    expect(t('escalate')).toBe('一鍵轉駁110');
    expect(t('sipRegistered')).toBe('已注册');
    expect(t('wrapUpRemaining', { time: '00:10' })).toBe('剩余 00:10');
  });
});
