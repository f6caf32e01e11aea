import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { USED_ARI_EVENTS } from '../../src/adapters/ari/ari-event-mapper.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { runServiceToExit, startService, type RunningService } from './support/service.ts';
import { callHotline, saw, startCall } from './support/sipp.ts';
import { sleep, waitFor } from './support/wait.ts';

/** The base of everything else: a call reaches the service, is recorded, and nothing leaks. */

interface CallRecord {
  callId: string; line: string; dialled: string; callerNumber: string; startedAt: string; answeredAt: string | null;
  endedAt: string | null; outcome: string | null; language: string | null; need: string | null; path: unknown[];
}

const ari = new AriInspector();
let service: RunningService | undefined;

/** The service's record of the call from `masked` that started after `since` (ms), once it has ended. */
async function endedCall(s: RunningService, masked: string, since: number): Promise<CallRecord> {
  const token = await s.login('admin');
  return waitFor(`an ended call from ${masked}`, async () => {
    const { body } = await s.api<{ calls: CallRecord[] }>('/api/calls', token);
    const summary = body.calls.find((c) => c.callerNumber === masked && c.endedAt && Date.parse(c.startedAt) >= since);
    return summary && (await s.api<{ call: CallRecord }>(`/api/calls/${summary.callId}`, token)).body.call;
  });
}

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && service) console.error(`service log (tail):\n${service.logs().split('\n').slice(-40).join('\n')}`);
  await service?.stop();
  service = undefined;
  await ari.clear(); // a failed test must not leave channels to the next
});

describe('foundation', () => {
  it('answers 12355 from the carrier, plays the menu and records the caller hanging up', async () => {
    service = await startService();
    const since = Date.now();
    const call = await startCall({ number: '12355', callerNumber: '13800138000', holdMs: 4000, hangup: 'caller' });
    const channel = await waitFor('the caller in Stasis', () => ari.channelOf('13800138000'));
    await sleep(1500);
    expect((await ari.rtpStats(channel.id)).txcount, 'RTP sent to the caller (the prompt)').toBeGreaterThan(25);

    const r = await call.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(saw(r, 'received', 200, 'INVITE')).toBe(true);
    expect(saw(r, 'received', 'BYE'), 'the service must not hang up on a caller in the menu').toBe(false);
    expect(saw(r, 'sent', 'BYE') && saw(r, 'received', 200, 'BYE')).toBe(true);

    const rec = await endedCall(service, '138******00', since);
    expect(rec).toMatchObject({ line: 'main', dialled: '12355', callerNumber: '138******00', outcome: 'ivr-hangup' });

    // Asterisk sends the app only the event types it uses, and presence of the roster's phones, not
    // of the carrier endpoint (whose subscription would send every caller's events twice).
    const app = await ari.request<{ events_allowed: Array<{ type: string }>; endpoint_ids: string[] }>('GET', `/applications/${service.env.ARI_APP}`);
    expect(app.events_allowed.map((e) => e.type).sort()).toEqual([...USED_ARI_EVENTS].sort());
    expect(app.endpoint_ids).toEqual(expect.arrayContaining(['PJSIP/1001', 'PJSIP/web1001']));
    expect(app.endpoint_ids.some((id) => id.includes('carrier'))).toBe(false);
    expect(Date.parse(rec.endedAt!) - Date.parse(rec.startedAt)).toBeGreaterThanOrEqual(3000);
    await ari.waitForNoLeftovers(5000);
    expect(await service.liveCalls()).toEqual([]);
  });

  it('leaves nothing behind when the caller hangs up before the service acts on the call', async () => {
    service = await startService();
    // The dialplan answers, whatever the service does; the service acts within milliseconds, so it
    // is frozen while the caller hangs up: the BYE surely comes first, and on waking the service
    // finds its events about a dead channel.
    for (const [i, holdMs] of [0, 800].entries()) {
      const callerNumber = `1391234000${i}`;
      service.pause();
      const r = await callHotline({ callerNumber, hangup: 'caller', holdMs }).finally(() => service?.resume());
      expect(r.exitCode, r.log).toBe(0);
      expect(saw(r, 'received', 200, 'INVITE'), 'answered by the dialplan, the service frozen').toBe(true);
      expect(saw(r, 'sent', 'BYE') && saw(r, 'received', 200, 'BYE')).toBe(true);
      await ari.waitForNoLeftovers(5000);
    }
    await sleep(500);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    await ari.waitForNoLeftovers(2000);
    expect(await service.liveCalls()).toEqual([]);
  });

  it('picks up a caller still in Stasis after being killed and restarted', async () => {
    const first = await startService();
    service = first;
    const since = Date.now();
    // The language menu plays; '1' (Mandarin) comes 12 s in, well after the restart, then '0' (anyone).
    const call = await startCall({ callerNumber: '13700137000', digits: ['1', '0'], firstDigitAfterMs: 12_000, pauseMsBetween: 2000, holdMs: 3000, hangup: 'caller' });
    const channel = await waitFor('the caller in Stasis', () => ari.channelOf('13700137000'));
    await first.waitForLog(/caller entered/);
    await sleep(1000);
    await first.kill();

    expect((await ari.application()).channel_ids).toContain(channel.id);
    service = await startService({ env: { REDIS_PREFIX: first.env.REDIS_PREFIX } });
    const resync = JSON.parse(await service.waitForLog(/"msg":"resync done"/)) as { channels?: number };
    expect(resync.channels, 'the resync found the caller').toBeGreaterThanOrEqual(1);
    expect(call.messages().some((m) => m.direction === 'received' && m.firstLine.startsWith('BYE ')), 'caller still connected').toBe(false);
    expect(await ari.channelOf('13700137000')).toBeDefined();

    const r = await call.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(saw(r, 'received', 'BYE')).toBe(false);
    // One key press, one step: Mandarin, then the general queue, where the caller hangs up.
    const rec = await endedCall(service, '137******00', since);
    expect(rec.path, 'the keys pressed after the restart').toMatchObject([
      { menu: 'language', input: '1', outcome: 'option' }, { menu: 'main', input: '0', outcome: 'option' }]);
    expect(rec).toMatchObject({ language: 'cmn', need: 'general' });
    await ari.waitForNoLeftovers(5000);
    expect(await service.liveCalls()).toEqual([]);
  });

  it('refuses to start on a missing password or a bad prompt reference, naming the setting', async () => {
    // Without the secrets file too, so a fallback to it cannot hide the missing setting. The bound is
    // loose because tsx compiles the whole import graph first, which takes seconds on a busy machine.
    const noPassword = await runServiceToExit({ env: { ARI_PASSWORD: undefined, HOTLINE_SECRETS_FILE: undefined }, timeoutMs: 30_000 });
    expect(noPassword.code, noPassword.output).not.toBe(0);
    expect(noPassword.signal, 'exited by itself').toBeNull();
    expect(noPassword.stderr).toContain('ARI_PASSWORD');
    expect(noPassword.ms).toBeLessThan(15_000);

    const yaml = readFileSync(join(import.meta.dirname, '../../config/hotline.yaml'), 'utf8');
    const bad = yaml.replace('prompts: [main_menu]', 'prompts: [no_such_prompt]');
    expect(bad).not.toBe(yaml);
    const file = join(tmpdir(), `hotline-bad-prompt-${process.pid}.yaml`);
    writeFileSync(file, bad);
    const badPrompt = await runServiceToExit({ env: { HOTLINE_CONFIG: file }, timeoutMs: 30_000 });
    expect(badPrompt.code, badPrompt.output).not.toBe(0);
    expect(badPrompt.signal).toBeNull();
    expect(badPrompt.stderr).toMatch(/menus\.main\.prompts/);
    expect(badPrompt.stderr).toContain('no_such_prompt');
    expect(badPrompt.ms).toBeLessThan(15_000);
  });
});
