import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { consolePhoneRegistered, inBrowser, signIn } from './support/browser.ts';
import { webPassword } from './support/peers.ts';
import { saw } from './support/sipp.ts';
import { ClusterScenario, edgeRpc, ensureCluster, killNode, layout, stopCluster } from './support/cluster.ts';
import { invitedCallIds } from './support/queue-scenario.ts';
import { sleep, waitFor } from './support/wait.ts';

/**
 * The cluster profile (issue #15): Kamailio in front of three Asterisk nodes on 127.0.1.1-3, phones
 * registered to Kamailio, two service instances. Calls enter through Kamailio's dispatcher; the
 * service drives every node, offers on the caller's node, and survives losing a node or an instance.
 */

let scenario: ClusterScenario;
beforeAll(async () => ensureCluster(), 120_000);
afterAll(async () => stopCluster(), 60_000);
beforeEach(async () => {
  await ensureCluster();
  scenario = new ClusterScenario();
});
afterEach(async (ctx) => scenario.cleanup(ctx.task.result?.state === 'fail'));

const nodeOf = (callId: string) => callId.split('-', 1)[0]!;
const nodeIndex = (node: string) => layout.nodes.findIndex((n) => n.id === node);

describe('cluster', () => {
  it('calls arriving on each node reach counsellors registered through Kamailio, who learn presence from it', async () => {
    const service = await scenario.start(0);
    const phone = await scenario.phone('1001', 1500);
    // Presence comes from Kamailio's registrations: no node has this phone registered.
    await scenario.waitForCounsellor(service, 'c1001', 'available');
    const registered = await edgeRpc<{ Domains: Array<{ Domain: { AoRs: Array<{ Info: { AoR: string } }> } }> }>('ul.dump');
    expect(registered.Domains.flatMap((d) => d.Domain.AoRs.map((a) => a.Info.AoR))).toContain('1001');

    const callIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const caller = await scenario.caller(`1380000030${i}`, 30_000);
      const callId = await scenario.callIdOf(service, caller);
      callIds.push(callId);
      await scenario.waitForEvent(service, `${callId} connected`, (e) => e.type === 'connect' && e.callId === callId, 20_000);
      // The phone hangs up after 1.5 s; the caller hears the BYE through Kamailio.
      await waitFor(`${caller.callerNumber} hung up by the hotline`, async () => (caller.byeReceived() ? true : undefined), 15_000);
      await scenario.waitForCounsellor(service, 'c1001', 'available', 15_000);
    }
    // Round-robin over three nodes: one call on each, each offered on its own node.
    expect(new Set(callIds.map(nodeOf))).toEqual(new Set(layout.nodes.map((n) => n.id)));
    expect(invitedCallIds(phone)).toEqual(callIds);
    // Every offer reached the phone through Kamailio (its Record-Route), not from a node directly.
    const invites = phone.messages().filter((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE '));
    for (const inv of invites) expect(inv.headers['record-route'] ?? '').toContain(layout.edge.address);
    expect(saw({ messages: phone.messages() }, 'sent', 200, 'INVITE')).toBe(true);
  });

  it('a node killed with SIGKILL under load: new calls answered elsewhere within 5 s, its waiting callers on the callback list in order, the counsellor freed', async () => {
    const service = await scenario.start(0);
    const phone = await scenario.phone('1001', 120_000);
    await scenario.waitForCounsellor(service, 'c1001', 'available');
    // The first caller talks to 1001 (busy for two minutes); six more wait, spread over the nodes.
    const first = await scenario.caller('13800000400');
    const firstId = await scenario.callIdOf(service, first);
    await scenario.waitForEvent(service, 'first connected', (e) => e.type === 'connect' && e.callId === firstId, 20_000);
    // Queued within 45 s even if the keys are lost on a loaded machine: silence puts a caller through too.
    const waiting: Array<{ number: string; callId: string }> = [];
    for (let i = 1; i <= 6; i++) {
      const c = await scenario.caller(`1380000040${i}`);
      const callId = await scenario.callIdOf(service, c);
      await scenario.waitForEvent(service, `${callId} queued`, (e) => e.type === 'enter' && e.callId === callId, 45_000);
      waiting.push({ number: c.callerNumber, callId });
    }
    // Kill the node the counsellor's call is on: its callers are cut off, the counsellor must come free.
    const dead = nodeOf(firstId);
    const deadWaiting = waiting.filter((w) => nodeOf(w.callId) === dead);
    expect(deadWaiting.length, 'callers waiting on the node to kill').toBeGreaterThan(0);
    const killedAt = Date.now();
    killNode(nodeIndex(dead));
    // Steady load: three new calls right after the kill (round-robin sends one of them to the dead
    // node unless the probe already took it out; Kamailio then fails over) are answered elsewhere within 5 s.
    const late = await Promise.all([7, 8, 9].map((i) => scenario.caller(`1380000049${i}`, 60_000)));
    const answeredAfter = await Promise.all(late.map((c) => waitFor(`${c.callerNumber} answered`, async () =>
      (saw({ messages: c.messages() }, 'received', 200, 'INVITE') ? Date.now() - killedAt : undefined), 8000)));
    const lateNodes = await Promise.all(late.map(async (c) => nodeOf(await scenario.callIdOf(service, c))));
    expect(lateNodes).not.toContain(dead);
    expect(Math.max(...answeredAfter), 'kill to the new calls answered (ms)').toBeLessThan(5000);
    console.log(`cluster: node ${dead} killed; new calls answered on ${lateNodes.join(',')} after ${answeredAfter.join(', ')} ms`);

    // The dead node's waiting callers are on the callback list, at their original places, in order.
    const cut = await waitFor('callbacks for the cut-off callers', async () => {
      const ev = (await scenario.events(service)).filter((e) => e.type === 'callback-requested' && e.data.reason === 'pbx-restart');
      return ev.length >= deadWaiting.length ? ev : undefined;
    }, 15_000);
    expect(cut.map((e) => e.callId).sort()).toEqual(deadWaiting.map((w) => w.callId).sort());
    const jobs = await Promise.all(deadWaiting.map((w) => scenarioJob(w.callId)));
    const entered = jobs.map((j) => Number(j?.data.enqueuedAt));
    expect(entered).toEqual([...entered].sort((a, b) => a - b));
    // Callers on the other nodes are untouched and still waiting; the counsellor is free and takes the next of them.
    const survivors = waiting.filter((w) => nodeOf(w.callId) !== dead);
    await waitFor('the counsellor offered the next surviving caller', async () =>
      (invitedCallIds(phone).includes(survivors[0]!.callId) ? true : undefined), 15_000);
    for (const s of survivors.slice(1)) expect((await service.liveCalls()).some((c) => c.callId === s.callId), `${s.callId} still live`).toBe(true);

    async function scenarioJob(callId: string) {
      const { Queue } = await import('bullmq');
      const { Redis } = await import('ioredis');
      const { CALLBACK_QUEUE } = await import('../../src/adapters/jobs/bullmq-jobs.ts');
      const connection = new Redis(service.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
      const queue = new Queue(CALLBACK_QUEUE, { connection, prefix: `${service.env.REDIS_PREFIX}:bull` });
      try {
        const job = await queue.getJob(`callback-${callId}`);
        return job ? { data: job.data as Record<string, unknown> } : null;
      } finally {
        await queue.close();
        connection.disconnect();
      }
    }
  }, 240_000);

  it('a service instance killed: the standby takes over within seconds and serves the waiting callers in order, none twice', async () => {
    const a = await scenario.start(0);
    const phone = await scenario.phone('1001', 3000);
    await scenario.waitForCounsellor(a, 'c1001', 'available');
    // The standby waits for the lease: it answers only once it drives the nodes.
    const standby = scenario.start(1, 60_000);
    const first = await scenario.caller('13800000500');
    const firstId = await scenario.callIdOf(a, first);
    await scenario.waitForEvent(a, 'first connected', (e) => e.type === 'connect' && e.callId === firstId, 20_000);
    const waiting: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const c = await scenario.caller(`1380000050${i}`);
      const callId = await scenario.callIdOf(a, c);
      await scenario.waitForEvent(a, `${callId} queued`, (e) => e.type === 'enter' && e.callId === callId, 45_000);
      waiting.push(callId);
    }
    const killedAt = Date.now();
    await a.kill();
    const b = await standby;
    const tookOver = Date.now() - killedAt;
    console.log(`cluster: instance killed; the standby ready after ${tookOver} ms`);
    expect(tookOver).toBeLessThan(10_000);
    // The phone is offered the waiting callers in their order, each once.
    await waitFor('every waiting caller offered', async () => (waiting.every((id) => invitedCallIds(phone).includes(id)) ? true : undefined), 45_000);
    const offered = invitedCallIds(phone);
    expect(offered.filter((id) => waiting.includes(id))).toEqual(waiting);
    expect(new Set(offered).size).toBe(offered.length);
    const connects = (await scenario.events(b)).filter((e) => e.type === 'connect');
    for (const id of [firstId, ...waiting.slice(0, 1)]) expect(connects.filter((e) => e.callId === id).length, `${id} connected once`).toBe(1);
    await sleep(100);
  }, 240_000);

  it('a browser console registers over WebSocket to Kamailio and answers a call offered from a node', async () => {
    const service = await scenario.start(0);
    await inBrowser(service.url, {}, async ({ page }) => {
      await signIn(page, '/console.html', 'c1001', webPassword('c1001'));
      await consolePhoneRegistered(page);
      const aors = await edgeRpc<{ Domains: Array<{ Domain: { AoRs: Array<{ Info: { AoR: string } }> } }> }>('ul.dump');
      expect(aors.Domains.flatMap((d) => d.Domain.AoRs.map((a) => a.Info.AoR))).toContain('web1001');
      // Presence follows registration (the fixture): registered through Kamailio means available.
      await scenario.waitForCounsellor(service, 'c1001', 'available', 15_000);
      await scenario.answeredInConsole(service, page, '13800000600', 40_000);
    });
  }, 240_000);
});

