import { describe } from 'vitest';
import { FakeJobs } from '../fakes/fake-jobs.ts';
import { MemoryAuditLog } from '../fakes/memory-audit-log.ts';
import { MemoryCallRecords } from '../fakes/memory-call-records.ts';
import { MemoryCaseStore } from '../fakes/memory-case-store.ts';
import { MemoryLiveCalls } from '../fakes/memory-live-calls.ts';
import { MemoryQueueEvents } from '../fakes/memory-queue-events.ts';
import { MemoryQueueStore } from '../fakes/memory-queue-store.ts';
import { MemorySessions } from '../fakes/memory-sessions.ts';
import { MemoryLoginThrottle } from '../fakes/memory-login-throttle.ts';
import { auditLogContract } from '../contract/audit-log.contract.ts';
import { callRecordsContract } from '../contract/call-records.contract.ts';
import { caseStoreContract } from '../contract/cases.contract.ts';
import { personalDataContract } from '../contract/personal-data.contract.ts';
import { followUpStoreContract } from '../contract/follow-ups.contract.ts';
import { MemoryFollowUpStore } from '../fakes/memory-follow-up-store.ts';
import { MemoryPersonalData } from '../fakes/memory-personal-data.ts';
import { jobsContract } from '../contract/jobs.contract.ts';
import { loginThrottleContract } from '../contract/login-throttle.contract.ts';
import { liveCallsContract } from '../contract/live-calls.contract.ts';
import { queueEventLogContract } from '../contract/queue-events.contract.ts';
import { queueStoreContract } from '../contract/queue-store.contract.ts';
import { sessionsContract } from '../contract/sessions.contract.ts';
import { writeBacklogContract } from '../contract/write-backlog.contract.ts';
import { MemoryWriteBacklog } from '../fakes/memory-write-backlog.ts';
import { workOrderStoreContract } from '../contract/work-orders.contract.ts';
import { supervisionStoreContract } from '../contract/supervision-store.contract.ts';
import { MemorySupervisionStore } from '../fakes/memory-supervision-store.ts';

// The in-memory fakes the service tests use must keep the same contracts as the real adapters
// (tests/contract/real-adapters.test.ts runs the same suites against Redis and PostgreSQL).

describe('MemoryQueueStore', () => queueStoreContract(async () => new MemoryQueueStore(), { runs: 100 }));
describe('MemoryLiveCalls', () => liveCallsContract(async () => new MemoryLiveCalls()));
describe('MemorySessions', () => sessionsContract(async () => new MemorySessions()));
describe('MemoryLoginThrottle', () => loginThrottleContract(async () => new MemoryLoginThrottle()));
describe('MemoryWriteBacklog', () => writeBacklogContract(async (capacity) => new MemoryWriteBacklog(capacity)));
describe('MemorySupervisionStore', () => supervisionStoreContract(async () => new MemorySupervisionStore()));
describe('FakeJobs', () => jobsContract(async () => new FakeJobs()));
describe('MemoryCallRecords', () => callRecordsContract(async () => new MemoryCallRecords()));
describe('MemoryQueueEvents', () => queueEventLogContract(async () => new MemoryQueueEvents()));
describe('MemoryAuditLog', () =>
  auditLogContract(async () => {
    const log = new MemoryAuditLog();
    return {
      log,
      tamper: {
        // Stored entries are frozen: writing to one throws, as the table's trigger refuses an UPDATE.
        update: async (id) => Object.assign(log.storedEntry(id) ?? {}, { actor: 'forged' }),
      },
    };
  }));

async function memoryCaseStores() {
  const cases = new MemoryCaseStore();
  return { cases, orders: cases.orders };
}
describe('MemoryCaseStore', () => caseStoreContract(memoryCaseStores));
describe('MemoryPersonalData', () =>
  personalDataContract(async () => {
    const { cases } = await memoryCaseStores();
    const records = new MemoryCallRecords();
    return { eraser: new MemoryPersonalData(cases, records), records, cases, orders: cases.orders };
  }));
describe('MemoryWorkOrderStore', () => workOrderStoreContract(memoryCaseStores));
describe('MemoryFollowUpStore', () =>
  followUpStoreContract(async () => {
    const { cases, orders } = await memoryCaseStores();
    return { followUps: new MemoryFollowUpStore(cases, orders), cases, orders };
  }));
