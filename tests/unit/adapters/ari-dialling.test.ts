import { describe, expect, it } from 'vitest';
import { dialOutOriginate, mediaUri, ringPhoneOriginate } from '../../../src/adapters/ari/ari-dialling.ts';

// The services speak in hotline terms; this pins down the Asterisk spelling they turn into, which
// the phones, the 110 trunk and the e2e tests (INVITE headers, From, Identity) rely on.

describe('ARI dialling', () => {
  it("rings a counsellor's phone with the offer's X-Hotline-* headers and the label as display name", () => {
    expect(ringPhoneOriginate({
      channelId: 'offer-0badcafe-c1', phone: 'web1001', appArgs: ['counsellor', 'caller-1', 'c1', '0badcafe'], timeoutSec: 20,
      callerId: { name: '!高危 main/psychological 12s', number: '12355' },
      call: { callId: 'caller-1', line: 'main', need: 'psychological', language: 'yue', waitSec: 12, highRisk: true },
    })).toEqual({
      channelId: 'offer-0badcafe-c1', endpoint: 'PJSIP/web1001', appArgs: ['counsellor', 'caller-1', 'c1', '0badcafe'], timeoutSec: 20,
      callerId: '"!高危 main/psychological 12s" <12355>',
      variables: {
        'PJSIP_HEADER(add,X-Hotline-Call-Id)': 'caller-1',
        'PJSIP_HEADER(add,X-Hotline-Line)': 'main',
        'PJSIP_HEADER(add,X-Hotline-Need)': 'psychological',
        'PJSIP_HEADER(add,X-Hotline-Language)': 'yue',
        'PJSIP_HEADER(add,X-Hotline-Wait)': '12',
        'PJSIP_HEADER(add,X-Hotline-High-Risk)': 'yes',
      },
    });
  });

  it("rings a callback's counsellor leg with the original call's id, and no wait or risk it does not know", () => {
    const r = ringPhoneOriginate({
      channelId: 'dialback-agent-1', phone: '1001', appArgs: ['dialback', '1', 'counsellor'], timeoutSec: 20,
      callerId: { name: '回拨 main/general', number: '12355' },
      call: { callId: 'dialback-1', callbackOf: 'call-0', line: 'main', need: 'general', language: 'cmn' },
    });
    expect(Object.entries(r.variables)).toEqual([
      ['PJSIP_HEADER(add,X-Hotline-Call-Id)', 'dialback-1'],
      ['PJSIP_HEADER(add,X-Hotline-Callback)', 'call-0'],
      ['PJSIP_HEADER(add,X-Hotline-Line)', 'main'],
      ['PJSIP_HEADER(add,X-Hotline-Need)', 'general'],
      ['PJSIP_HEADER(add,X-Hotline-Language)', 'cmn'],
    ]);
    expect(r.callerId).toBe('"回拨 main/general" <12355>');
  });

  it('rings a colleague or supervisor with no headers when no call details are given', () => {
    const r = ringPhoneOriginate({ channelId: 'sup-1', phone: '2001', appArgs: ['supervisor'], timeoutSec: 30, callerId: { name: '监听 listen main', number: '12355' } });
    expect(r).toMatchObject({ endpoint: 'PJSIP/2001', callerId: '"监听 listen main" <12355>', variables: {} });
  });

  it("dials 110 on the configured route with the caller's number and the escalation header", () => {
    expect(dialOutOriginate({
      channelId: 'police-e1-0', route: 'PJSIP/110@emergency', appArgs: ['emergency', 'caller-1', 'e1'], timeoutSec: 20,
      callerId: { name: '12355', number: '13800138000' }, escalationId: 'e1',
    })).toEqual({
      channelId: 'police-e1-0', endpoint: 'PJSIP/110@emergency', appArgs: ['emergency', 'caller-1', 'e1'], timeoutSec: 20,
      callerId: '"12355" <13800138000>', variables: { 'PJSIP_HEADER(add,X-Hotline-Escalation)': 'e1' },
    });
  });

  it('dials a caller back with no headers', () => {
    const r = dialOutOriginate({ channelId: 'dialback-1', route: 'PJSIP/138@carrier-out', appArgs: [], timeoutSec: 40, callerId: { name: '12355', number: '12355' } });
    expect(r).toMatchObject({ endpoint: 'PJSIP/138@carrier-out', callerId: '"12355" <12355>', variables: {} });
  });

  it('plays prompts from the rendered sounds per language, and the Chinese ringback tone', () => {
    expect(mediaUri({ prompt: 'welcome_language', language: 'yue' })).toBe('sound:hotline/yue/welcome_language');
    expect(mediaUri({ tone: 'ringback' })).toBe('tone:ring;tonezone=cn');
  });
});
