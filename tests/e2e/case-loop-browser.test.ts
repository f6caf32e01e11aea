import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AriInspector } from './support/ari-inspector.ts';
import { consolePhoneRegistered, endEachBrowserTest, openBrowser, signIn, textOf } from './support/browser.ts';
import { consoleTestConfig, startCaller, webPassword } from './support/peers.ts';
import { startService } from './support/service.ts';
import type { SippRun } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The loop after the call, in Chromium, on the real stack: a SIPp caller is answered in the
 * console, the counsellor saves the case form (二级, 广州市 天河区); the order made for the grade is
 * proposed to that area's centre and the supervisor dispatches it on the dashboard; the centre's
 * staff accept and reply on the centre page; the supervisor approves the reply, records the
 * follow-up and the order closes (办结).
 */

const ari = new AriInspector();
const parts = endEachBrowserTest(ari);

/** A second signed-in person in the same browser, with a cookie of their own. */
async function personPage(baseUrl: string, path: string, user: string): Promise<Page> {
  const context = await parts.browser!.browser.newContext({ baseURL: baseUrl, locale: 'zh-CN' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => parts.browser!.log.push(`[${user} pageerror] ${e.message}`));
  page.on('console', (m) => parts.browser!.log.push(`[${user} ${m.type()}] ${m.text()}`));
  await signIn(page, path, user, webPassword(user));
  return page;
}

describe('case record and work order loop in Chromium', () => {
  it('counsellor saves 二级 with an area; dispatched to that centre; accepted, replied, followed up and closed', async () => {
    const config = consoleTestConfig();
    const service = (parts.service = await startService({ env: { HOTLINE_CONFIG: config } }));
    const { page: console_ } = (parts.browser = await openBrowser(service.url));
    await signIn(console_, '/console.html', 'c1001', webPassword('c1001'));
    await consolePhoneRegistered(console_);
    await expect.poll(() => console_.locator('#state-available').isEnabled(), { timeout: 10_000 }).toBe(true);
    await console_.locator('#state-available').click();
    await expect.poll(() => console_.locator('#my-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('available');

    const caller: SippRun = parts.track(await startCaller({
      callerNumber: '13800138000', keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 60_000, hangup: 'caller', rtpEcho: true,
    }));
    await console_.locator('#incoming').waitFor({ state: 'visible', timeout: 30_000 });
    await console_.locator('#answer').click();

    // The form opens with the answered call: fill it in as a counsellor would.
    await console_.locator('#case-card').waitFor({ state: 'visible' });
    await console_.locator('input[name="case-category"]').first().check();
    await console_.locator('#case-grade').selectOption('2');
    await console_.locator('#case-summary').fill('考试前焦虑失眠，与父母关系紧张，需要线下跟进。');
    await console_.locator('#case-city').selectOption('广州市');
    await console_.locator('#case-county').selectOption('天河区');
    await console_.locator('#case-follow-up').check();
    await console_.locator('#case-centre-contact').check();
    await expect.poll(() => console_.locator('#case-order').isDisabled(), { timeout: 10_000, message: '二级 always gets an order' }).toBe(true);
    await expect.poll(() => textOf(console_, '#case-status'), { timeout: 10_000, message: 'the draft kept on the service' }).toContain('草稿已保存');
    await console_.locator('#hangup').click();
    await console_.locator('#case-save').click();
    await expect.poll(() => textOf(console_, '#case-status'), { timeout: 10_000, message: 'case saved with its order' }).toMatch(/个案已保存，已生成工单/);
    await caller.stop();
    // The console names the order it made; other tests of the run may have left orders too.
    const orderId = /已生成工单 (\S+?)(（|$)/.exec(await textOf(console_, '#case-status'))?.[1] ?? '';
    expect(orderId).not.toBe('');

    // The dashboard: the order, proposed to 天河区's centre; the supervisor dispatches it.
    const supervisor = await personPage(service.url, '/supervisor.html', 's2001');
    const orderRow = supervisor.locator(`#orders-body tr[data-order-id="${orderId}"]`);
    await orderRow.waitFor({ state: 'visible', timeout: 15_000 });
    await orderRow.locator('[data-open]').click();
    await expect.poll(() => supervisor.locator('#order-centre').inputValue(), { timeout: 10_000, message: 'proposal preselected' }).toBe('gz-tianhe');
    await supervisor.locator('#order-actions [data-action="dispatch"]').click();
    await expect.poll(() => supervisor.locator('#order-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('dispatched');

    // The centre page: 天河区's staff accept and reply.
    const centre = await personPage(service.url, '/centre.html', 'gz-tianhe-01');
    const row = centre.locator(`#orders-body tr[data-order-id="${orderId}"]`);
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await textOf(centre, `#orders-body tr[data-order-id="${orderId}"] td:nth-child(4)`)).toMatch(/签收剩余/);
    await row.locator('[data-open]').click();
    await expect.poll(() => textOf(centre, '#order-case'), { timeout: 10_000 }).toContain('天河区');
    await centre.locator('#order-accept').click();
    await expect.poll(() => centre.locator('#order-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('accepted');
    await centre.locator('#order-reply-text').fill('已联系学校心理老师，安排每周面谈。');
    await centre.locator('#order-reply').click();
    await expect.poll(() => centre.locator('#order-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('replied');

    // Back on the dashboard: approve the reply, record the follow-up; the order closes.
    await supervisor.reload();
    await supervisor.locator(`#orders-body tr[data-order-id="${orderId}"] [data-open]`).click();
    await expect.poll(() => supervisor.locator('#order-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('replied');
    await supervisor.locator('#order-actions [data-action="approve-reply"]').click();
    await expect.poll(() => supervisor.locator('#order-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('awaiting-follow-up');
    await supervisor.locator('#order-outcome').selectOption('resolved');
    await supervisor.locator('#order-text').fill('回访：睡眠好转，已参加面谈。');
    await supervisor.locator('#order-actions [data-action="record-follow-up"]').click();
    await expect.poll(() => supervisor.locator('#order-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('closed');

    // What the pages showed is what the service holds, with every step's who and why.
    const token = await service.login('s2001');
    const detail = await waitFor('the closed order', async () => {
      const { body } = await service.api<{ order: { status: string }; events: Array<{ type: string; actorId: string }> }>(`/api/work-orders/${orderId}`, token);
      return body.order.status === 'closed' ? body : undefined;
    });
    expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['create', 'dispatch', 'accept', 'reply', 'approve-reply', 'record-follow-up']));
    expect(detail.events.find((e) => e.type === 'accept')?.actorId).toBe('gz-tianhe-01');
  }, 180_000);
});
