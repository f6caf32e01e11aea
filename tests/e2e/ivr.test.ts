import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../src/config/hotline-config.ts';
import { testSlot } from '../../src/config/profiles.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { AriEventWatcher, hotlineConfigWith, readWavHeader } from './support/ivr-helpers.ts';
import { startService, type EnvOverrides, type RunningService } from './support/service.ts';
import { saw, startCall, type CallOptions, type SippResult, type SippRun } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The IVR end to end: SIPp callers press RFC 4733 keys at the real Asterisk, the service runs the
 * menus of config/hotline.yaml, and the tests check what was recorded (GET /api/calls/:id), what is
 * waiting in the queue (GET /api/queue), what Asterisk itself did (ARI events of every channel,
 * seen by an independent watcher app) and that nothing is left behind.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const IN_SEASON = '2026-06-05T10:00:00+08:00';
const OUT_OF_SEASON = '2026-09-01T10:00:00+08:00';
/** Lets a caller hang up just after its last key was fully sent (SIPp's RFC 4733 capture lasts 140 ms). */
const KEY_MS = 160;

interface PathStep { menu: string; input: string; outcome: string; at: string }
interface CallRecord {
  callId: string; line: string; dialled: string; startedAt: string; endedAt: string | null; outcome: string | null;
  language: string | null; need: string | null; highRisk: boolean; path: PathStep[];
}
interface Waiting { callId: string; line: string; need: string; language: string; priority: number; highRisk: boolean }

const ari = new AriInspector();
const watcher = new AriEventWatcher();
const config = loadHotlineConfig(join(ROOT, 'config/hotline.yaml'));
const sound = (language: string, prompt: string) => `sound:hotline/${language}/${prompt}`;
const wavOf = (language: string, prompt: string) => join(ROOT, 'var/sounds/hotline', language, `${prompt}.wav`);
let service: RunningService | undefined;
let token = '';
let callers = 0;

async function start(env: EnvOverrides = {}): Promise<RunningService> {
  service = await startService({ env });
  token = await service.login('admin');
  return service;
}

/** One call from a caller number used by no other call, so events and records can't be mixed up. */
async function dial(o: Omit<CallOptions, 'callerNumber' | 'hangup'>): Promise<{ callId: string; run: SippRun }> {
  const callerNumber = `1390355${String(process.pid % 100).padStart(2, '0')}${String(++callers % 100).padStart(2, '0')}`;
  const from = watcher.events.length;
  const run = await startCall({ ...o, hangup: 'caller', callerNumber });
  // The call id is the caller's channel id.
  return { callId: await watcher.channelIdOf(callerNumber, from), run };
}

async function recordOf(callId: string): Promise<CallRecord | undefined> {
  const res = await service!.api<{ call: CallRecord }>(`/api/calls/${encodeURIComponent(callId)}`, token);
  return res.status === 200 ? res.body.call : undefined;
}

/** The record once the call has ended (the caller hung up and the service closed it). */
function endedRecord(callId: string): Promise<CallRecord> {
  return waitFor(`the ended record of ${callId}`, async () => {
    const rec = await recordOf(callId);
    return rec?.endedAt ? rec : undefined;
  });
}

async function waiting(): Promise<Waiting[]> {
  return (await service!.api<{ waiting: Waiting[] }>('/api/queue', token)).body.waiting;
}

/** The caller in the queue, while still on the line. */
function queued(callId: string, timeoutMs = 5000): Promise<Waiting> {
  return waitFor(`${callId} waiting in the queue`, async () => (await waiting()).find((w) => w.callId === callId), timeoutMs);
}

/** The caller hung up by itself at the end of its hold time: the service never sent a BYE. */
function expectCallerHungUp(r: SippResult): void {
  expect(r.exitCode, r.log).toBe(0);
  expect(saw(r, 'received', 200, 'INVITE'), 'answered').toBe(true);
  expect(saw(r, 'received', 'BYE'), 'the service must never hang up on a caller').toBe(false);
  expect(saw(r, 'sent', 'BYE') && saw(r, 'received', 200, 'BYE'), 'the caller hung up').toBe(true);
}

/** Nothing in Asterisk but the holding bridge, no live call in Redis, nobody in the queue. */
async function expectNothingLeft(): Promise<void> {
  await ari.waitForNoLeftovers(5000);
  const live = await waitFor('no live calls in Redis', async () => ((await service!.liveCalls()).length === 0 ? [] : undefined), 5000)
    .catch(async () => service!.liveCalls());
  expect(live.map((c) => `${c.callId} ${c.phase}`), 'live calls left in Redis').toEqual([]);
  expect(await waiting(), 'callers left in the queue').toEqual([]);
}

/**
 * Each key the PBX received made exactly one step, at the time it was pressed: keys pressed a
 * second apart give steps about a second apart (one key must never count in two menus).
 */
function expectOneStepPerKey(callId: string, path: PathStep[]): void {
  const keys = watcher.digits(callId);
  const steps = path.filter((s) => s.input !== '');
  expect(steps.map((s) => s.input), 'one menu step per key the PBX received, in order').toEqual(keys.map((k) => k.digit));
  for (let i = 1; i < steps.length; i++) {
    const keyGap = keys[i]!.receivedAt - keys[i - 1]!.receivedAt;
    const stepGap = Date.parse(steps[i]!.at) - Date.parse(steps[i - 1]!.at);
    expect(stepGap, `step ${i} (${steps[i]!.menu} ${steps[i]!.input}) came ${stepGap} ms after the previous one, the keys ${keyGap} ms apart`)
      .toBeGreaterThan(keyGap / 2);
  }
}

/** Media Asterisk started playing to the caller, in order (one entry per file of each playback). */
const played = (callId: string) =>
  watcher.playbacks(callId).filter((e) => e.type === 'PlaybackStarted').map((e) => e.playback!.media_uri);

beforeAll(async () => {
  await watcher.open();
  await ari.clear(); // channels an interrupted earlier run left on this slot's PBX
});

afterAll(() => watcher.close());

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && service) console.error(`service log (tail):\n${service.logs().split('\n').slice(-40).join('\n')}`);
  await service?.stop();
  service = undefined;
  await ari.clear();
});

describe('IVR: prompts are real audio', () => {
  it('renders every IVR prompt of both languages as 8 kHz mono 16-bit PCM WAV', () => {
    const ids = new Set([
      ...Object.values(config.menus).flatMap((m) => [
        ...m.prompts.map((p) => (typeof p === 'string' ? p : p.prompt)),
        ...Object.values(m.options).flatMap((o) => (o.prompt ? [o.prompt] : [])),
      ]),
      ...Object.values(config.lines).flatMap((l) => l.closed?.prompts ?? []),
      config.ivr.invalidPrompt, config.ivr.noInputPrompt, config.ivr.privacyNotice, 'queue_hold_intro',
    ]);
    expect(ids.size).toBeGreaterThanOrEqual(8);
    for (const language of config.languages.filter((l) => l === 'cmn' || l === 'yue')) {
      for (const id of ids) {
        const file = wavOf(language, id);
        expect(existsSync(file), file).toBe(true);
        const wav = readWavHeader(file);
        expect(wav, file).toMatchObject({ format: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 });
        expect(wav.seconds, `${file} holds speech`).toBeGreaterThan(0.5);
        expect(wav.dataBytes, `${file}: header and file size agree`).toBeLessThanOrEqual(statSync(file).size - 44);
      }
    }
    const welcome = readWavHeader(wavOf('cmn', 'welcome_language'));
    expect(welcome.seconds).toBeGreaterThan(5);
    // The Cantonese option is spoken by the Cantonese voice, not read out by the Mandarin one.
    expect(readFileSync(wavOf('yue', 'cantonese_option'))).not.toEqual(readFileSync(wavOf('cmn', 'cantonese_option')));
  });
});

describe('IVR on 12355 (config/hotline.yaml)', () => {
  it.each([
    { keys: ['1', '1'], language: 'cmn', need: 'psychological' },
    { keys: ['2', '2'], language: 'yue', need: 'legal' },
  ])('keys $keys: language $language, need $need', async ({ keys, language, need }) => {
    await start({ HOTLINE_NOW: OUT_OF_SEASON });
    const { callId, run } = await dial({ digits: keys, firstDigitAfterMs: 1500, holdMs: 4000 });
    const entry = await queued(callId);
    expect(entry).toMatchObject({ line: 'main', need, language, highRisk: false, priority: 0 });
    expectCallerHungUp(await run.done);

    const rec = await endedRecord(callId);
    expect(rec).toMatchObject({ line: 'main', dialled: '12355', need, language, highRisk: false, outcome: 'abandoned' });
    expect(rec.path).toMatchObject([
      { menu: 'language', input: keys[0], outcome: 'option' },
      { menu: 'main', input: keys[1], outcome: 'option' },
    ]);
    expectOneStepPerKey(callId, rec.path);
    // What the caller heard: the language menu, the main menu in their language, then the queue's notices.
    expect(played(callId).slice(0, 3)).toEqual([sound('cmn', 'welcome_language'), sound(language, 'main_menu'), sound(language, 'privacy_notice')]);
    await expectNothingLeft();
  });

  it('9 at the first menu: emergency, high risk, ahead of everyone', async () => {
    await start();
    const { callId, run } = await dial({ digits: ['9'], firstDigitAfterMs: 1500, holdMs: 4000 });
    expect(await queued(callId)).toMatchObject({ need: 'emergency', highRisk: true, priority: 100, language: 'cmn' });
    expectCallerHungUp(await run.done);
    const rec = await endedRecord(callId);
    expect(rec).toMatchObject({ line: 'main', need: 'emergency', highRisk: true, language: 'cmn' });
    expect(rec.path).toMatchObject([{ menu: 'language', input: '9', outcome: 'option' }]);
    expectOneStepPerKey(callId, rec.path);
    await expectNothingLeft();
  });

  it('9 in the main menu (after choosing Cantonese): emergency, high risk', async () => {
    await start();
    const { callId, run } = await dial({ digits: ['2', '9'], firstDigitAfterMs: 1500, holdMs: 4000 });
    expect(await queued(callId)).toMatchObject({ need: 'emergency', highRisk: true, priority: 100, language: 'yue' });
    expectCallerHungUp(await run.done);
    const rec = await endedRecord(callId);
    expect(rec).toMatchObject({ line: 'main', need: 'emergency', highRisk: true, language: 'yue' });
    expect(rec.path).toMatchObject([
      { menu: 'language', input: '2', outcome: 'option' },
      { menu: 'main', input: '9', outcome: 'option' },
    ]);
    expectOneStepPerKey(callId, rec.path);
    await expectNothingLeft();
  });
});

describe('IVR: silence and invalid keys end with a person (short-timeout config)', () => {
  // The real menus, prompts and targets with 0.5 s input timeouts. The language prompt alone is
  // ~17 s, so that menu gets one attempt there; the main menu keeps two (one replay).
  const fixture = () => hotlineConfigWith({ timeoutMs: 500, maxAttempts: { language: 1, main: 2 } });

  it('silence: Asterisk plays the whole first prompt (Mandarin, then the Cantonese option in Cantonese), then the caller waits for the general queue, not hung up', async () => {
    await start({ HOTLINE_CONFIG: fixture(), HOTLINE_NOW: OUT_OF_SEASON });
    const log = join(ROOT, `var/test/asterisk${testSlot() ? `-${testSlot()}` : ''}/log/messages.log`);
    const logFrom = existsSync(log) ? statSync(log).size : 0;
    const firstMs = (readWavHeader(wavOf('cmn', 'welcome_language')).seconds + readWavHeader(wavOf('yue', 'cantonese_option')).seconds) * 1000;
    const { callId, run } = await dial({ holdMs: Math.round(firstMs) + 5000 });

    const started = await watcher.waitFor(callId, 'the welcome prompt starting',
      (e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === sound('cmn', 'welcome_language'));
    expect(started.playback?.next_media_uri, 'the Cantonese option follows, in Cantonese').toBe(sound('yue', 'cantonese_option'));
    const finished = await watcher.waitFor(callId, 'the welcome prompt finishing',
      (e) => e.type === 'PlaybackFinished' && e.playback?.id === started.playback?.id, firstMs + 5000);
    expect(finished.playback?.state, 'Asterisk played the files to their end').toBe('done');
    const playedMs = finished.receivedAt - started.receivedAt;
    expect(playedMs, 'played for as long as the WAVs last').toBeGreaterThan(firstMs - 500);
    expect(playedMs).toBeLessThan(firstMs + 2000);

    expect(await queued(callId, 4000)).toMatchObject({ need: 'general', language: 'cmn', highRisk: false });
    expectCallerHungUp(await run.done);
    const rec = await endedRecord(callId);
    expect(rec).toMatchObject({ line: 'main', need: 'general', language: 'cmn', highRisk: false, outcome: 'abandoned' });
    expect(rec.path).toMatchObject([
      { menu: 'language', input: '', outcome: 'timeout' },
      { menu: 'language', input: '', outcome: 'fallback' },
    ]);
    expect(played(callId).slice(0, 3)).toEqual([sound('cmn', 'welcome_language'), sound('yue', 'cantonese_option'), sound('cmn', 'privacy_notice')]);
    const asteriskLog = existsSync(log) ? readFileSync(log, 'utf8').slice(logFrom) : '';
    expect(asteriskLog, 'Asterisk could not find a prompt').not.toMatch(/File hotline\/\S+ does not exist/);
    await expectNothingLeft();
  });

  it('invalid keys (5, #) in the main menu: explained and replayed once, then the general queue', async () => {
    await start({ HOTLINE_CONFIG: fixture(), HOTLINE_NOW: OUT_OF_SEASON });
    const { callId, run } = await dial({ digits: ['1', '5', '#'], firstDigitAfterMs: 1500, holdMs: 4000 });
    expect(await queued(callId)).toMatchObject({ need: 'general', language: 'cmn', highRisk: false });
    expectCallerHungUp(await run.done);
    const rec = await endedRecord(callId);
    expect(rec).toMatchObject({ need: 'general', language: 'cmn', highRisk: false });
    expect(rec.path).toMatchObject([
      { menu: 'language', input: '1', outcome: 'option' },
      { menu: 'main', input: '5', outcome: 'invalid' },
      { menu: 'main', input: '#', outcome: 'invalid' },
      { menu: 'main', input: '', outcome: 'fallback' },
    ]);
    expectOneStepPerKey(callId, rec.path);
    // After '5': "no such option", then the main menu again (the '#' cut it short).
    expect(played(callId).slice(0, 4)).toEqual([
      sound('cmn', 'welcome_language'), sound('cmn', 'main_menu'), sound('cmn', 'invalid_input'), sound('cmn', 'privacy_notice'),
    ]);
    await expectNothingLeft();
  });

  it('an invalid key (*) then silence: the replay plays out, the timer runs after it, then the general queue', async () => {
    await start({ HOTLINE_CONFIG: fixture(), HOTLINE_NOW: OUT_OF_SEASON });
    const replayMs = Math.round((readWavHeader(wavOf('yue', 'invalid_input')).seconds + readWavHeader(wavOf('yue', 'main_menu')).seconds) * 1000);
    const { callId, run } = await dial({ digits: ['2', '*'], firstDigitAfterMs: 1500, holdMs: replayMs + 5000 });
    const replay = await watcher.waitFor(callId, 'the replay after the invalid key',
      (e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === sound('yue', 'invalid_input'));
    expect(replay.playback?.next_media_uri, 'the menu follows the notice').toBe(sound('yue', 'main_menu'));
    const entry = await queued(callId, replayMs + 4000);
    expect(entry).toMatchObject({ need: 'general', language: 'yue' });
    const done = watcher.playbacks(callId).find((e) => e.type === 'PlaybackFinished' && e.playback?.id === replay.playback?.id);
    expect(done?.playback?.state, 'the replay played to its end before the timeout').toBe('done');
    expectCallerHungUp(await run.done);
    const rec = await endedRecord(callId);
    expect(rec.path).toMatchObject([
      { menu: 'language', input: '2', outcome: 'option' },
      { menu: 'main', input: '*', outcome: 'invalid' },
      { menu: 'main', input: '', outcome: 'timeout' },
      { menu: 'main', input: '', outcome: 'fallback' },
    ]);
    expect(Date.parse(rec.path[2]!.at) - Date.parse(rec.path[1]!.at), 'the timeout counts from the end of the replay')
      .toBeGreaterThan(replayMs - 1000);
    expectOneStepPerKey(callId, rec.path);
    await expectNothingLeft();
  });
});

describe('IVR: the exam-season line 123550', () => {
  it('in season: straight to exam_stress; 12355 announces and honours key 4', async () => {
    await start({ HOTLINE_NOW: IN_SEASON });
    const exam = await dial({ number: '123550', holdMs: 4000 });
    expect(await queued(exam.callId)).toMatchObject({ line: 'exam', need: 'exam_stress', language: 'cmn' });
    expectCallerHungUp(await exam.run.done);
    const rec = await endedRecord(exam.callId);
    expect(rec).toMatchObject({ line: 'exam', dialled: '123550', need: 'exam_stress', language: 'cmn', highRisk: false, path: [] });
    expect(played(exam.callId)[0], 'no menu: the queue notice first').toBe(sound('cmn', 'privacy_notice'));
    await expectNothingLeft();

    const main = await dial({ digits: ['1', '4'], firstDigitAfterMs: 1500, holdMs: 4000 });
    expect(await queued(main.callId)).toMatchObject({ line: 'main', need: 'exam_stress' });
    expectCallerHungUp(await main.run.done);
    const mainMenu = watcher.playbacks(main.callId).find((e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === sound('cmn', 'main_menu'));
    expect(mainMenu?.playback?.next_media_uri, 'the seasonal option is announced').toBe(sound('cmn', 'main_menu_exam_option'));
    expect((await endedRecord(main.callId)).path).toMatchObject([
      { menu: 'language', input: '1', outcome: 'option' },
      { menu: 'main', input: '4', outcome: 'option' },
    ]);
    await expectNothingLeft();
  });

  it('out of season: the closed notice in full, then its Cantonese option and the main line\'s menus (2, 3: Cantonese, hardship)', async () => {
    await start({ HOTLINE_NOW: OUT_OF_SEASON });
    const noticeMs = Math.round(readWavHeader(wavOf('cmn', 'exam_line_closed')).seconds * 1000);
    // Keys 1.5 s after the notice ends, while the Cantonese option plays.
    const { callId, run } = await dial({ number: '123550', digits: ['2', '3'], firstDigitAfterMs: noticeMs + 1500, holdMs: 4000 });
    const notice = await watcher.waitFor(callId, 'the closed notice',
      (e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === sound('cmn', 'exam_line_closed'));
    expect(notice.playback?.next_media_uri, 'then the Cantonese option, in Cantonese').toBe(sound('yue', 'cantonese_option'));
    const option = await watcher.waitFor(callId, 'the Cantonese option after the notice',
      (e) => e.type === 'PlaybackStarted' && e.playback?.id === notice.playback?.id && e.playback?.media_uri === sound('yue', 'cantonese_option'),
      noticeMs + 5000);
    expect(option.receivedAt - notice.receivedAt, 'the notice played in full').toBeGreaterThan(noticeMs - 500);
    expect(watcher.digits(callId).filter((d) => d.receivedAt < option.receivedAt), 'no key before the options').toEqual([]);

    expect(await queued(callId, 8000)).toMatchObject({ line: 'main', need: 'hardship', language: 'yue' });
    expectCallerHungUp(await run.done);
    const rec = await endedRecord(callId);
    expect(rec).toMatchObject({ line: 'main', dialled: '123550', need: 'hardship', language: 'yue', highRisk: false });
    expect(rec.path).toMatchObject([
      { menu: 'line:exam', input: '', outcome: 'season-closed' },
      { menu: 'exam_closed', input: '2', outcome: 'option' },
      { menu: 'main', input: '3', outcome: 'option' },
    ]);
    expectOneStepPerKey(callId, rec.path);
    await expectNothingLeft();
  });
});

describe('IVR: the caller hangs up at any moment', () => {
  /**
   * One call per hang-up moment, one after the other; each must leave nothing behind. `check` gets
   * the keys the PBX received before the BYE (a key still being sent when the caller hangs up is lost).
   */
  async function hangUps(cases: Array<{ keys: string[]; holdMs: number }>, check: (rec: CallRecord, received: string[]) => void) {
    for (const c of cases) {
      const { callId, run } = await dial({ digits: c.keys, firstDigitAfterMs: 1000, pauseMsBetween: 800, holdMs: c.holdMs });
      const r = await run.done;
      expect(r.exitCode, r.log).toBe(0);
      expect(saw(r, 'received', 'BYE'), 'the service must never hang up on a caller').toBe(false);
      const rec = await endedRecord(callId);
      const received = watcher.digits(callId).map((d) => d.digit!);
      const moment = `hanging up ${c.holdMs} ms after keys [${c.keys.join(',')}] (the PBX got [${received.join(',')}])`;
      try {
        check(rec, received);
        await expectNothingLeft();
      } catch (err) {
        throw new Error(`after ${moment}: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  it('during the first prompt (right after the answer, or a moment later)', async () => {
    await start();
    await hangUps([{ keys: [], holdMs: 1 }, { keys: [], holdMs: 150 }, { keys: [], holdMs: 1500 }], (rec) => {
      expect(rec).toMatchObject({ outcome: 'ivr-hangup', need: null, path: [] });
    });
  });

  it('between keys (after choosing a language, during a replay)', async () => {
    await start();
    const cases = [{ keys: ['1'], holdMs: KEY_MS }, { keys: ['2'], holdMs: 700 }, { keys: ['1', '5'], holdMs: KEY_MS + 100 }];
    await hangUps(cases, (rec, received) => {
      expect(rec).toMatchObject({ outcome: 'ivr-hangup', need: null });
      expect(rec.path.map((s) => s.input), 'one step per key received').toEqual(received);
      expect(rec.path.map((s) => s.outcome)).toEqual(received.map((k) => (k === '5' ? 'invalid' : 'option')));
    });
  });

  it('right after being routed (while the queue takes the caller)', async () => {
    await start();
    let routed = 0;
    const cases = [KEY_MS, KEY_MS + 40, KEY_MS + 120, KEY_MS + 300, 1000].map((holdMs) => ({ keys: ['1', '1'], holdMs }));
    await hangUps([...cases, { keys: ['9'], holdMs: KEY_MS + 40 }, { keys: ['9'], holdMs: 600 }], (rec, received) => {
      const need = received[0] === '9' ? 'emergency' : received.length === 2 ? 'psychological' : null;
      if (!need) {
        expect(rec).toMatchObject({ outcome: 'ivr-hangup', need: null });
        return;
      }
      // Routed, then gone: the caller abandoned the queue (not "handed to the dialplan": nothing failed).
      expect(rec).toMatchObject({ need, outcome: 'abandoned' });
      routed++;
    });
    expect(routed, 'hang-ups after the routing key was received').toBeGreaterThanOrEqual(3);
  });
  it('while the service is still acting on the last key (frozen meanwhile): closed as what it was, not handed to the dialplan', async () => {
    const svc = await start();
    // A: the language key arrives, the caller is gone before the service acts on it (the menu cannot be played).
    // B: the routing key arrives, the caller is gone before the queue takes them (the bridge refuses a gone channel).
    const cases = [
      { keys: ['1'], pauseOn: sound('cmn', 'welcome_language'), outcome: 'ivr-hangup', need: null, path: ['1'] },
      { keys: ['1', '1'], pauseOn: sound('cmn', 'main_menu'), outcome: 'abandoned', need: 'psychological', path: ['1', '1'] },
    ];
    for (const c of cases) {
      const since = svc.logs().length;
      const { callId, run } = await dial({ digits: c.keys, firstDigitAfterMs: 1000, pauseMsBetween: 800, holdMs: 500 });
      await watcher.waitFor(callId, `${c.pauseOn} playing`, (e) => e.type === 'PlaybackStarted' && e.playback?.media_uri === c.pauseOn);
      svc.pause();
      let r: SippResult;
      try {
        r = await run.done;
        await ari.waitForNoLeftovers(5000); // Asterisk let the caller go without us
      } finally {
        svc.resume();
      }
      expect(r.exitCode, r.log).toBe(0);
      expect(watcher.digits(callId).map((d) => d.digit), 'the PBX got every key before the BYE').toEqual(c.keys);
      const rec = await endedRecord(callId);
      expect(rec, `keys [${c.keys.join(',')}]`).toMatchObject({ outcome: c.outcome, need: c.need });
      expect(rec.path.map((p) => p.input)).toEqual(c.path);
      const handOver = svc.logs().slice(since).split('\n').find((l) => l.includes(callId) && l.includes('handing the caller to the dialplan'));
      expect(handOver, 'a caller who hung up is not a failure to hand over').toBeUndefined();
      await expectNothingLeft();
    }
  });
});
