/**
 * Caller numbers are masked unless a role needs them (minors' data is sensitive under PIPL).
 * Keeps the first 3 and last 2 digits of a full number (only the last 2 of a short one): enough
 * to tell repeat callers apart, not to identify them.
 */
export function maskNumber(number: string): string {
  const digits = number.replace(/\s/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  // Short numbers would give too much away with a prefix: keep only the last two.
  if (digits.length <= 7) return '*'.repeat(digits.length - 2) + digits.slice(-2);
  return digits.slice(0, 3) + '*'.repeat(digits.length - 5) + digits.slice(-2);
}
