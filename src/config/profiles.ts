/**
 * Ports and addresses of each profile. The test profile uses its own ports so the test suite
 * can run while a demo stack is up. The carrier is on 127.0.0.2 so that its IP match does not
 * capture counsellor registrations coming from 127.0.0.1.
 */
export interface ProfilePorts {
  ariHttpPort: number;
  /** Asterisk's HTTP server over TLS: WSS for browser softphones on HTTPS pages. */
  ariHttpsPort: number;
  sipPort: number;
  /** SIP over TLS, for desk phones. */
  sipTlsPort: number;
  amiPort: number;
  rtpStart: number;
  rtpEnd: number;
  servicePort: number;
  carrierAddress: string;
  emergencyUri: string;
  emergencyFallbackUri: string;
  /** Where callbacks to callers' numbers go out (the carrier's side of the trunk). */
  carrierOutUri: string;
  redisPrefix: string;
  database: string;
}

/**
 * The project's own Redis (scripts/redis.sh, config/redis/hotline-redis.conf): AOF with fsync every
 * second and no eviction, as production must run. The demo and the tests use it; REDIS_URL overrides.
 */
export const PROJECT_REDIS_URL = 'redis://127.0.0.1:6380';

export function profileRedisUrl(env: Record<string, string | undefined> = process.env): string {
  return env.REDIS_URL ?? PROJECT_REDIS_URL;
}

export const PROFILES: Record<'demo' | 'test', ProfilePorts> = {
  demo: {
    ariHttpPort: 8088, ariHttpsPort: 8089, sipPort: 5060, sipTlsPort: 5061, amiPort: 5038, rtpStart: 10000, rtpEnd: 10999, servicePort: 8080,
    carrierAddress: '127.0.0.2', emergencyUri: 'sip:110@127.0.0.1:5070', emergencyFallbackUri: 'sip:110@127.0.0.1:5072',
    carrierOutUri: 'sip:127.0.0.2:5090', redisPrefix: 'hotline-demo', database: 'hotline',
  },
  test: {
    ariHttpPort: 18088, ariHttpsPort: 18089, sipPort: 15060, sipTlsPort: 15061, amiPort: 15038, rtpStart: 11000, rtpEnd: 11999, servicePort: 18080,
    carrierAddress: '127.0.0.2', emergencyUri: 'sip:110@127.0.0.1:5070', emergencyFallbackUri: 'sip:110@127.0.0.1:5072',
    carrierOutUri: 'sip:127.0.0.2:5090', redisPrefix: 'hotline-test', database: 'hotline_test',
  },
};

/**
 * The test profile for a slot (HOTLINE_TEST_SLOT, 0-9): each slot has its own Asterisk, ports and
 * Redis prefix, so several test runs can share one machine. Slot 0 is the plain test profile.
 */
export function profilePorts(profile: 'demo' | 'test', slot = 0): ProfilePorts {
  const base = PROFILES[profile];
  if (profile !== 'test' || slot === 0) return base;
  const o = slot * 100;
  return {
    ...base,
    ariHttpPort: base.ariHttpPort + o, ariHttpsPort: base.ariHttpsPort + o, sipPort: base.sipPort + o, sipTlsPort: base.sipTlsPort + o, amiPort: base.amiPort + o, servicePort: base.servicePort + o,
    rtpStart: 12000 + slot * 500, rtpEnd: 12000 + slot * 500 + 499,
    emergencyUri: `sip:110@127.0.0.1:${5070 + o}`, emergencyFallbackUri: `sip:110@127.0.0.1:${5072 + o}`,
    carrierOutUri: `sip:127.0.0.2:${5090 + o}`,
    redisPrefix: `${base.redisPrefix}-${slot}`,
  };
}

export function testSlot(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.HOTLINE_TEST_SLOT ?? 0);
  return Number.isInteger(n) && n >= 0 && n <= 9 ? n : 0;
}
