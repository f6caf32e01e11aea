import type { Redis } from 'ioredis';
import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';

/** Live calls as JSON values in Redis, under one prefix, with an index set. */
export class RedisLiveCalls implements LiveCalls {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(callId: string) {
    return `${this.prefix}:call:${callId}`;
  }
  private linkKey(channelId: string) {
    return `${this.prefix}:chan:${channelId}`;
  }

  async save(call: LiveCall): Promise<void> {
    await this.redis.multi().set(this.key(call.callId), JSON.stringify(call)).sadd(`${this.prefix}:calls`, call.callId).exec();
  }
  async get(callId: string): Promise<LiveCall | null> {
    const raw = await this.redis.get(this.key(callId));
    return raw ? (JSON.parse(raw) as LiveCall) : null;
  }
  async remove(callId: string): Promise<void> {
    await this.redis.multi().del(this.key(callId)).srem(`${this.prefix}:calls`, callId).exec();
  }
  async list(): Promise<LiveCall[]> {
    const ids = await this.redis.smembers(`${this.prefix}:calls`);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.key(id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as LiveCall);
  }
  async link(link: ChannelLink): Promise<void> {
    await this.redis.set(this.linkKey(link.channelId), JSON.stringify(link), 'EX', 86_400);
  }
  async linkOf(channelId: string): Promise<ChannelLink | null> {
    const raw = await this.redis.get(this.linkKey(channelId));
    return raw ? (JSON.parse(raw) as ChannelLink) : null;
  }
  async unlink(channelId: string): Promise<void> {
    await this.redis.del(this.linkKey(channelId));
  }
}
