import type { ChannelLink, LiveCall, LiveCalls } from '../../src/ports/live-calls.ts';
import { jsonCopy } from './clone.ts';

/** Live calls and channel links in memory, stored as copies like the Redis JSON values. */
export class MemoryLiveCalls implements LiveCalls {
  private readonly calls = new Map<string, LiveCall>();
  private readonly links = new Map<string, ChannelLink>();

  async save(call: LiveCall): Promise<void> {
    this.calls.set(call.callId, jsonCopy(call));
  }
  async get(callId: string): Promise<LiveCall | null> {
    const c = this.calls.get(callId);
    return c ? jsonCopy(c) : null;
  }
  async remove(callId: string): Promise<void> {
    this.calls.delete(callId);
  }
  async list(): Promise<LiveCall[]> {
    return [...this.calls.values()].map(jsonCopy);
  }
  async link(link: ChannelLink): Promise<void> {
    this.links.set(link.channelId, jsonCopy(link));
  }
  async linkOf(channelId: string): Promise<ChannelLink | null> {
    const l = this.links.get(channelId);
    return l ? jsonCopy(l) : null;
  }
  async unlink(channelId: string): Promise<void> {
    this.links.delete(channelId);
  }
  /** Test helper: the store lost its data. */
  clear(): void {
    this.calls.clear();
    this.links.clear();
  }
  /** Test inspection: every channel link still held. */
  allLinks(): ChannelLink[] {
    return [...this.links.values()].map(jsonCopy);
  }
}
