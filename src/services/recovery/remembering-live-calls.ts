import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import { RememberedWrites, type Restorable } from './remembered-writes.ts';

/**
 * Live calls, remembering the channel links this instance wrote. The calls themselves are given
 * back by the call router, which holds them (CallService.recoverLostStore); links are what a
 * counsellor's, police or monitoring leg needs to find its call again.
 */
export class RememberingLiveCalls implements LiveCalls, Restorable {
  private readonly links = new RememberedWrites<ChannelLink>();

  constructor(private readonly inner: LiveCalls) {}

  save(call: LiveCall): Promise<void> {
    return this.inner.save(call);
  }
  get(callId: string): Promise<LiveCall | null> {
    return this.inner.get(callId);
  }
  async remove(callId: string): Promise<void> {
    await this.inner.remove(callId);
    // Links of an ended call are of no use to anyone; the store lets them expire.
    for (const channelId of this.links.keysWhere((l) => l.callId === callId)) this.links.drop(channelId);
  }
  list(): Promise<LiveCall[]> {
    return this.inner.list();
  }
  async link(link: ChannelLink): Promise<void> {
    await this.inner.link(link);
    this.links.put(link.channelId, link);
  }
  linkOf(channelId: string): Promise<ChannelLink | null> {
    return this.inner.linkOf(channelId);
  }
  async unlink(channelId: string): Promise<void> {
    this.links.drop(channelId);
    await this.inner.unlink(channelId);
  }

  async restore(): Promise<number> {
    let n = 0;
    for (const [channelId, l] of this.links.entries()) {
      if (!this.links.has(channelId) || (await this.inner.linkOf(channelId))) continue;
      await this.inner.link(l);
      n++;
    }
    return n;
  }
}
