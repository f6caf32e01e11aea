import type { Redis } from 'ioredis';
import type { SupervisionStore } from '../../ports/supervision-store.ts';
import type { Alert, MonitorSession } from '../../wire/supervision.ts';

/** Alerts as a capped Redis list (newest first); monitoring sessions as a hash by id. */
export class RedisSupervisionStore implements SupervisionStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async pushAlert(alert: Alert, keep: number): Promise<void> {
    await this.redis.multi().lpush(`${this.prefix}:alerts`, JSON.stringify(alert)).ltrim(`${this.prefix}:alerts`, 0, keep - 1).exec();
  }
  async recentAlerts(limit: number): Promise<Alert[]> {
    return (await this.redis.lrange(`${this.prefix}:alerts`, 0, limit - 1)).map((raw) => JSON.parse(raw) as Alert);
  }
  async putMonitor(session: MonitorSession): Promise<void> {
    await this.redis.hset(`${this.prefix}:monitors`, session.id, JSON.stringify(session));
  }
  async removeMonitor(id: string): Promise<void> {
    await this.redis.hdel(`${this.prefix}:monitors`, id);
  }
  async listMonitors(): Promise<MonitorSession[]> {
    return Object.values(await this.redis.hgetall(`${this.prefix}:monitors`)).map((raw) => JSON.parse(raw) as MonitorSession);
  }
}
