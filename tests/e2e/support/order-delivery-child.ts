/**
 * The work-order delivery (src/wiring/order-delivery.ts) alone in a process of its own, with the
 * service's settings from the environment: a test kills it with SIGKILL in the middle of a
 * delivery, as a crash of the service, or stops it with SIGTERM, as a shutdown.
 */
import { PgAuditLog } from '../../../src/adapters/storage/pg-audit-log.ts';
import { openDatabase } from '../../../src/adapters/storage/database.ts';
import { connectRedis } from '../../../src/adapters/redis/redis-connection.ts';
import { loadSettings } from '../../../src/config/settings.ts';
import { createLogger } from '../../../src/logger.ts';
import { systemClock } from '../../../src/ports/clock.ts';
import { InProcessNotifier } from '../../../src/ports/notifier.ts';
import { startOrderDelivery } from '../../../src/wiring/order-delivery.ts';

const settings = loadSettings(process.env);
const log = createLogger(settings.LOG_LEVEL, 'order-delivery-child');
const db = await openDatabase(settings.DATABASE_URL);
const bullRedis = connectRedis(settings.REDIS_URL, true);
const running = await startOrderDelivery({ settings, db, bullRedis, notifier: new InProcessNotifier(), clock: systemClock, log, audit: new PgAuditLog(db) });
process.stdout.write('order-delivery started\n');
process.once('SIGTERM', () => {
  void (async () => {
    await running.stop();
    bullRedis.disconnect();
    await db.end();
    process.stdout.write('order-delivery stopped\n');
    process.exit(0);
  })();
});
