/**
 * Erasing personal data (PIPL) on request: everything personal about one caller. What expires by
 * time is the retention job's (`RetentionStore`, `RetentionService`). Cases themselves expire through
 * `CaseStore.eraseExpired`; what stays is what the figures need (categories, grade, city, dates).
 */
export interface PersonalDataEraser {
  /**
   * Erases these cases now (summary, number, caller key, county; their orders' event texts) and
   * the numbers of their calls, in one transaction: a caller's data erased on request.
   */
  eraseCases(caseIds: readonly string[], at: string): Promise<{ cases: number; calls: number }>;
}
