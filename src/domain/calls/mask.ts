/**
 * Caller numbers are masked unless a role needs them (minors' data is sensitive under PIPL).
 * Keeps the first 3 and last 2 digits: enough to tell repeat callers apart, not to identify.
 */
export function maskNumber(number: string): string {
  const digits = number.replace(/\s/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return digits.slice(0, 3) + '*'.repeat(digits.length - 5) + digits.slice(-2);
}
