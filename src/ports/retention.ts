/** Erasing personal data after its retention period, or when a caller asks (by their caller key). */
export interface RetentionStore {
  /**
   * Erases the caller's number of cases created and calls started before `before` (cases'
   * `caller_number`, `calls.caller_number`). Returns how many rows lost a number.
   */
  eraseCallerNumbers(before: string, at: string): Promise<{ cases: number; calls: number }>;
  /**
   * Erases everything personal about one caller (by the keyed hash of their number): the
   * summary, number, key and county of their cases, the texts of those cases' orders' events and
   * the number on those cases' call records. Categories, grade and city stay.
   */
  eraseCaller(callerKey: string, at: string): Promise<{ cases: number; calls: number }>;
}
