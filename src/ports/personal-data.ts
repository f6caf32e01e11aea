/**
 * Erasing personal data (PIPL): the caller's number on call records after the retention period,
 * and everything personal about one caller on request. Cases themselves expire through
 * `CaseStore.eraseExpired`; what stays is what the figures need (categories, grade, city, dates).
 */
export interface PersonalDataEraser {
  /**
   * Blanks `calls.caller_number` of calls that started before `before` (the same retention as
   * cases, `retention.personalDataDays`), stamping `caller_number_erased_at`. Returns how many.
   */
  eraseCallNumbers(before: string, at: string): Promise<number>;
  /**
   * Erases these cases now (summary, number, caller key, county; their orders' event texts) and
   * the numbers of their calls, in one transaction: a caller's data erased on request.
   */
  eraseCases(caseIds: readonly string[], at: string): Promise<{ cases: number; calls: number }>;
}
