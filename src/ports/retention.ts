/**
 * Erasing personal data after its retention period. A caller's request to erase their data is
 * `CaseService.eraseCaller` (through `PersonalDataEraser.eraseCases`).
 */
export interface RetentionStore {
  /**
   * Erases the caller's number of cases created and calls started before `before` (cases'
   * `caller_number`, `calls.caller_number`). Returns how many rows lost a number.
   */
  eraseCallerNumbers(before: string, at: string): Promise<{ cases: number; calls: number }>;
}
