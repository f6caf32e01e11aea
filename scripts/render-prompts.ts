/**
 * Renders every prompt of the hotline config to 8 kHz mono 16-bit WAV for Asterisk, plus a short
 * tone-based music on hold, so the hotline speaks without downloading anything.
 *
 *   node --import tsx scripts/render-prompts.ts [--config config/hotline.yaml] [--out var/sounds]
 *        [--overrides sounds/recorded]
 *
 * Writes <out>/hotline/<lang>/<id>.wav. A recording at <overrides>/hotline/<lang>/<id>.wav wins over
 * the synthetic voice. A sidecar .<id>.wav.sha256 remembers what a file was made from, so a second
 * run only redoes what changed. Then prints, per line, how long a caller who presses nothing hears
 * prompts with these files (the bound the service checks at start, see ivr.maxSilentSeconds).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readHotlineConfig, type HotlineConfig } from '../src/config/hotline-config.ts';
import { promptDurations } from '../src/config/prompt-durations.ts';
import { checkSilenceBound } from '../src/config/silence-check.ts';
import { silentBound } from '../src/domain/ivr/silence-bound.ts';
import type { Language } from '../src/domain/calls/routing-request.ts';

/**
 * espeak-ng voice per language. espeak-ng 1.51's plain `cmn` voice reads the pinyin of each hanzi
 * with English letter rules ("ni three"); `cmn-latn-pinyin` speaks it as Mandarin. espeak-ng has no
 * Teochew voice, so Mandarin stands in for `nan` until recordings exist.
 */
const VOICES: Record<Language, string> = { cmn: 'cmn-latn-pinyin', yue: 'yue', hak: 'hak', nan: 'cmn-latn-pinyin' };
/** Slower than espeak's 175 wpm default: callers may be upset, and phone audio is narrow. */
const SPEED = '140';
/** Bump when the recipe changes, to re-render everything. */
const RECIPE = 'v1';
const SOX_FORMAT = ['-r', '8000', '-c', '1', '-b', '16'];

/** Soft sine chords (Hz): C, Am, F, G; 4 s each with slow fades, looped by Asterisk's MOH class. */
const MOH_CHORDS = [
  [261.63, 329.63, 392.0],
  [220.0, 261.63, 329.63],
  [174.61, 220.0, 261.63],
  [196.0, 246.94, 293.66],
];

const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'config/hotline.yaml' },
    out: { type: 'string', default: 'var/sounds' },
    overrides: { type: 'string', default: 'sounds/recorded' },
  },
});

const run = (cmd: string, argv: string[], input?: string): string =>
  execFileSync(cmd, argv, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Where the hash of `out` is kept: a dot-file, which Asterisk's music-on-hold scan skips. */
const sidecarOf = (out: string): string => join(dirname(out), `.${basename(out)}.sha256`);

/** True when `out` exists and was made from `hash`. */
function upToDate(out: string, hash: string): boolean {
  const sidecar = sidecarOf(out);
  return existsSync(out) && existsSync(sidecar) && readFileSync(sidecar, 'utf8').trim() === hash;
}

/** Converts any audio sox reads to Asterisk's 8 kHz mono 16-bit WAV. */
function toTelephoneWav(src: string, out: string): void {
  run('sox', ['-V1', src, ...SOX_FORMAT, out]);
}

function speak(text: string, voice: string, out: string, tmp: string): void {
  // espeak-ng falls back to English for text its voice can't read: say so, rather than ship gibberish.
  if (run('espeak-ng', ['-v', voice, '-q', '-x', '--stdin'], text).includes('(en)')) {
    console.warn(`warning: voice ${voice} can't read all of ${out}; record it or rewrite the text`);
  }
  const raw = join(tmp, 'speech.wav');
  run('espeak-ng', ['-v', voice, '-s', SPEED, '-w', raw, '--stdin'], text);
  toTelephoneWav(raw, out);
}

function renderMoh(dir: string, tmp: string): 'made' | 'unchanged' {
  const out = join(dir, 'gentle-chords.wav');
  const hash = sha256(JSON.stringify({ RECIPE, MOH_CHORDS }));
  if (upToDate(out, hash)) return 'unchanged';
  mkdirSync(dir, { recursive: true });
  const parts = MOH_CHORDS.map((tones, i) => {
    const part = join(tmp, `chord${i}.wav`);
    const synth = tones.flatMap((hz) => ['sine', String(hz)]);
    run('sox', ['-V1', '-n', ...SOX_FORMAT, part, 'synth', '4', ...synth,
      'remix', `1-${tones.length}`, 'fade', 'q', '0.8', '4', '1.2', 'gain', '-n', '-15']);
    return part;
  });
  run('sox', ['-V1', ...parts, out]);
  writeFileSync(sidecarOf(out), hash);
  return 'made';
}

/**
 * Says how long a silent caller waits with the prompts as rendered, and warns when the service will
 * refuse the config for it (it checks the same at start); the prompts are rendered either way, so
 * that their real length can be heard and measured.
 */
function reportSilence(config: HotlineConfig): void {
  const durations = promptDurations(config, args.out);
  for (const line of Object.keys(config.lines)) {
    const worst = silentBound(config, durations, line);
    if (worst) {
      const s = (worst.menuSeconds + worst.noticeSeconds).toFixed(1);
      console.log(`render-prompts: a silent caller on ${line} waits at most ${s} s (menus ${worst.menuSeconds.toFixed(1)} s + privacy notice)`);
    }
  }
  try {
    checkSilenceBound(config, durations);
  } catch (err) {
    console.warn(`warning: the service will refuse this config: ${(err as Error).message}`);
  }
}

function main(): void {
  const config = readHotlineConfig(args.config);
  const base = join(args.out, 'hotline');
  const tmp = mkdtempSync(join(tmpdir(), 'render-prompts-'));
  const count = { rendered: 0, recorded: 0, unchanged: 0 };
  try {
    for (const lang of config.languages) {
      const dir = join(base, lang);
      mkdirSync(dir, { recursive: true });
      for (const [id, texts] of Object.entries(config.prompts)) {
        const out = join(dir, `${id}.wav`);
        const recording = join(args.overrides, 'hotline', lang, `${id}.wav`);
        const fromRecording = existsSync(recording);
        const text = texts[lang] ?? '';
        const hash = fromRecording
          ? sha256(`${RECIPE}\0recording\0${sha256(readFileSync(recording))}`)
          : sha256(`${RECIPE}\0${VOICES[lang]}\0${SPEED}\0${text}`);
        if (upToDate(out, hash)) {
          count.unchanged++;
          continue;
        }
        if (fromRecording) toTelephoneWav(recording, out);
        else speak(text, VOICES[lang], out, tmp);
        writeFileSync(sidecarOf(out), hash);
        count[fromRecording ? 'recorded' : 'rendered']++;
      }
    }
    const moh = renderMoh(join(base, 'moh'), tmp);
    console.log(
      `render-prompts: ${Object.keys(config.prompts).length} prompts x [${config.languages.join(', ')}] -> ${base}: ` +
        `${count.rendered} rendered, ${count.recorded} from recordings, ${count.unchanged} unchanged; moh ${moh}`,
    );
    reportSilence(config);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  const e = err as Error & { stderr?: string };
  console.error(`render-prompts failed: ${e.message}${e.stderr ? `\n${e.stderr}` : ''}`);
  process.exit(1);
}
