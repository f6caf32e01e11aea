import { describe } from 'vitest';
import { outboxDeliveryContract } from '../../contract/outbox-delivery.contract.ts';
import { MemoryOutboxDelivery } from '../../fakes/memory-outbox-delivery.ts';

// The fake the worker's unit tests use keeps the contract the PostgreSQL adapter is held to
// (tests/contract/order-delivery.test.ts).
describe('MemoryOutboxDelivery', () =>
  outboxDeliveryContract(async () => {
    const outbox = new MemoryOutboxDelivery();
    return {
      outbox,
      seed: async (orders) => {
        for (let i = 0; i < orders; i++) {
          outbox.add(`wo-${i}`, { type: 'notify-supervisors', reason: 'confirm-dispatch' });
          outbox.add(`wo-${i}`, { type: 'notify-centre', centreId: 'gz-tianhe', reason: 'dispatched' });
          outbox.add(`wo-${i}`, { type: 'schedule-deadline', deadline: { kind: 'accept', dueAt: '2026-03-10T04:00:00.000Z', remindAt: '2026-03-10T03:30:00.000Z', secondLevelAt: '2026-03-10T06:00:00.000Z' } });
        }
      },
    };
  }));
