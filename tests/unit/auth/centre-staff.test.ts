import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserDirectory } from '../../../src/services/auth/directory.ts';
import { centreStaffAccounts, loadCaseSetup } from '../../../src/wiring/case-services.ts';
import { serviceTestConfig, serviceTestRoster } from '../../fakes/hotline-fixture.ts';

/** Centre staff from config/centres.yaml sign in with role `centre`, scoped to their centre. */
describe('centre staff accounts', () => {
  const setup = loadCaseSetup(
    { cases: resolve(import.meta.dirname, '../../../config/cases.yaml'), centres: resolve(import.meta.dirname, '../../../config/centres.yaml') },
    serviceTestConfig(), null,
  );

  it('come from every centre of the directory', () => {
    const accounts = centreStaffAccounts(setup);
    expect(accounts).toContainEqual({ userId: 'gz-tianhe-01', centreId: 'gz-tianhe', centreName: '天河区12355青少年服务站', level: 'county' });
    expect(accounts).toHaveLength(setup.centres.centres.reduce((n, c) => n + c.staff.length, 0));
  });

  it('sign in as role centre with their centre, checked against the secrets file like everyone else', () => {
    const directory = new UserDirectory(serviceTestRoster(), { 'gz-tianhe-01': 'centre-demo-password' });
    directory.setCentreStaff(centreStaffAccounts(setup));
    expect(directory.verify('gz-tianhe-01', 'centre-demo-password')).toEqual({
      userId: 'gz-tianhe-01', name: '天河区12355青少年服务站', role: 'centre', team: 'gz-tianhe', level: 'county', centreId: 'gz-tianhe',
    });
    expect(directory.verify('gz-tianhe-01', 'wrong')).toBeNull();
    // No password in the secrets file: no sign-in.
    expect(directory.verify('gz-yuexiu-01', '')).toBeNull();
    expect(directory.principalOf('c1')).toMatchObject({ role: 'counsellor' });
  });

  it('refuses a caller-key secret shorter than 32 characters, and finds the emergency need', () => {
    expect(setup.emergencyNeed).toBe('emergency');
    expect(() => loadCaseSetup(
      { cases: resolve(import.meta.dirname, '../../../config/cases.yaml'), centres: resolve(import.meta.dirname, '../../../config/centres.yaml') },
      serviceTestConfig(), 'too-short',
    )).toThrow(/at least 32/);
  });
});
