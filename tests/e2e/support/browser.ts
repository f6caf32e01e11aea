import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import type { AriInspector } from './ari-inspector.ts';
import type { RunningService } from './service.ts';

/**
 * Debian's Chromium driven by playwright-core, for the console and dashboard tests. Each session
 * is a fresh browser with its own temporary profile; WebRTC uses Chromium's fake microphone.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-quic',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist (scripts/build-web.ts) when it is missing or older than web/src and the pages. */
export function ensureWebBuilt(): void {
  const bundles = ['console.js', 'supervisor.js', 'login.js', 'centre.js', 'analytics.js', 'console.html', 'supervisor.html', 'centre.html', 'analytics.html'].map((f) => join(DIST, f));
  const pages = ['console.html', 'supervisor.html', 'centre.html', 'index.html', 'styles.css', 'analytics.html', 'analytics-report.html', 'analytics.css'];
  const sources = Math.max(newestMtime(join(WEB, 'src')), ...pages.map((f) => statSync(join(WEB, f)).mtimeMs));
  if (bundles.every(existsSync) && Math.min(...bundles.map((b) => statSync(b).mtimeMs)) >= sources) return;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console messages and page errors so far, for failure messages. */
  log: string[];
  close(): Promise<void>;
}

/**
 * A fresh headless Chromium with one page on `baseUrl` (nothing loaded yet). `args` adds flags,
 * e.g. a host name mapped to 127.0.0.1 and the test certificate's key to trust.
 */
export async function openBrowser(baseUrl: string, opts: { args?: string[] } = {}): Promise<BrowserSession> {
  ensureWebBuilt();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...(opts.args ?? [])], timeout: 30_000 });
  try {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'zh-CN' });
    await context.grantPermissions(['microphone'], { origin: baseUrl });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const log: string[] = [];
    const at = () => new Date().toISOString().slice(11, 23);
    page.on('console', (m) => log.push(`${at()} [${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log.push(`${at()} [pageerror] ${e.message}`));
    page.on('requestfailed', (r) => log.push(`${at()} [requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
    return {
      browser, context, page, log,
      async close() {
        await context.close().catch(() => undefined);
        await browser.close().catch(() => undefined);
      },
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** Runs `use` in a fresh browser (`openBrowser`), prints the browser's log when it fails, and closes the browser. */
export async function inBrowser<T>(baseUrl: string, opts: { args?: string[] }, use: (session: BrowserSession) => Promise<T>): Promise<T> {
  const session = await openBrowser(baseUrl, opts);
  try {
    return await use(session);
  } catch (err) {
    console.error(`browser log:\n${session.log.slice(-30).join('\n')}`);
    throw err;
  } finally {
    await session.close();
  }
}

/** Opens `path` (console.html, supervisor.html) and signs in through the page's own form. */
export async function signIn(page: Page, path: string, user: string, password: string): Promise<void> {
  await page.goto(path);
  await page.locator('#login-username').fill(user);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-submit').click();
  await page.locator('#app').waitFor({ state: 'visible' });
}

/** Text of an element, trimmed ('' when it does not exist). */
/** The console's browser phone registered: its status line says 已注册. */
export async function consolePhoneRegistered(page: Page, timeout = 15_000): Promise<void> {
  await expect.poll(() => textOf(page, '#sip-status'), { timeout, message: 'browser phone registered' }).toContain('已注册');
}

/** The console's go-available button can be pressed (phone registered, live events up). */
export async function consoleCanGoAvailable(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#state-available').isEnabled(), { message: 'go-available button enabled' }).toBe(true);
}

export async function textOf(page: Page, selector: string): Promise<string> {
  const l = page.locator(selector);
  return (await l.count()) ? ((await l.first().textContent()) ?? '').trim() : '';
}

/** What one browser test started; `endEachBrowserTest` ends it after the test. */
export interface BrowserTestParts {
  service?: RunningService;
  browser?: BrowserSession;
  /** Stops `peer` (a SIPp, ...) after the test; returns it. */
  track<T extends { stop(): Promise<unknown> }>(peer: T): T;
}

/**
 * After each test of the file: on failure the tails of the browser's and the service's logs go to
 * stderr, then the browser, the tracked peers and the service stop and the PBX's channels are cleared.
 */
export function endEachBrowserTest(ari: AriInspector): BrowserTestParts {
  const peers: Array<{ stop(): Promise<unknown> }> = [];
  const parts: BrowserTestParts = { track: (peer) => (peers.push(peer), peer) };
  afterEach(async (ctx) => {
    // A page that broke its Content-Security-Policy did something the policy forbids (inline
    // script, a foreign connection): the test fails even if the page coped.
    const violations = parts.browser?.log.filter((l) => /Content Security Policy/i.test(l)) ?? [];
    if (ctx.task.result?.state === 'fail') {
      if (parts.browser) console.error(`browser log (tail):\n${parts.browser.log.slice(-40).join('\n')}`);
      if (parts.service) console.error(`service log (tail):\n${parts.service.logs().split('\n').slice(-40).join('\n')}`);
    }
    await parts.browser?.close();
    parts.browser = undefined;
    await Promise.allSettled(peers.splice(0).map((p) => p.stop()));
    await parts.service?.stop();
    parts.service = undefined;
    await ari.clear();
    if (violations.length) throw new Error(`the page broke its Content-Security-Policy:\n${violations.join('\n')}`);
  });
  return parts;
}
