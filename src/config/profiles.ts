/**
 * Ports and addresses of each profile. The test profile uses its own ports so the test suite
 * can run while a demo stack is up. The carrier is on 127.0.0.2 so that its IP match does not
 * capture counsellor registrations coming from 127.0.0.1.
 */
export interface ProfilePorts {
  ariHttpPort: number;
  sipPort: number;
  amiPort: number;
  rtpStart: number;
  rtpEnd: number;
  servicePort: number;
  carrierAddress: string;
  emergencyUri: string;
  emergencyFallbackUri: string;
  redisPrefix: string;
  database: string;
}

export const PROFILES: Record<'demo' | 'test', ProfilePorts> = {
  demo: {
    ariHttpPort: 8088, sipPort: 5060, amiPort: 5038, rtpStart: 10000, rtpEnd: 10999, servicePort: 8080,
    carrierAddress: '127.0.0.2', emergencyUri: 'sip:110@127.0.0.1:5070', emergencyFallbackUri: 'sip:110@127.0.0.1:5072',
    redisPrefix: 'hotline-demo', database: 'hotline',
  },
  test: {
    ariHttpPort: 18088, sipPort: 15060, amiPort: 15038, rtpStart: 11000, rtpEnd: 11999, servicePort: 18080,
    carrierAddress: '127.0.0.2', emergencyUri: 'sip:110@127.0.0.1:5070', emergencyFallbackUri: 'sip:110@127.0.0.1:5072',
    redisPrefix: 'hotline-test', database: 'hotline_test',
  },
};
