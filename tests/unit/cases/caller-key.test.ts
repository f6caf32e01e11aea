import { describe, expect, it } from 'vitest';
import { callerKey, CallerKeySecretError, normaliseCallerNumber } from '../../../src/domain/cases/caller-key.ts';

const secret = 'k'.repeat(32);

describe('the repeat-caller key', () => {
  it('links the same number written in different ways', () => {
    for (const n of ['+86 138 0013 8000', '008613800138000', '8613800138000', '138-0013-8000']) expect(normaliseCallerNumber(n)).toBe('13800138000');
    expect(normaliseCallerNumber('020-12345678')).toBe('02012345678');
    const key = callerKey('13800138000', secret);
    expect(callerKey('+8613800138000', secret)).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is a keyed HMAC-SHA256: another secret or another number gives another key, and the number is not in it', () => {
    const key = callerKey('13800138000', secret);
    // Computed independently: printf 13800138000 | openssl dgst -sha256 -hmac kkkk…(32 k)
    expect(key).toBe('e9a23f4103a74225d2a879af8d8aaefb2eda591f51f292008f38af5771b6917f');
    expect(callerKey('13800138000', 'x'.repeat(32))).not.toBe(key);
    expect(callerKey('13800138001', secret)).not.toBe(key);
    expect(key).not.toContain('13800138000');
  });

  it('gives no key for a withheld number', () => {
    expect(callerKey('', secret)).toBeNull();
    expect(callerKey('anonymous', secret)).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => callerKey('13800138000', 'short')).toThrow(CallerKeySecretError);
  });
});
