/**
 * Splits a range of days between the monthly rollups and the facts: whole months the rollups hold
 * are read from them, every other day of the range from the facts. Pure; days are `YYYY-MM-DD`.
 */

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const lastDayOfMonth = (month: string): string => {
  const d = new Date(`${month}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
};

export interface RangeSplit {
  /** First days of the whole months read from the rollups. */
  months: string[];
  /** The other days, read from the facts. */
  days: string[];
}

export function splitRange(from: string, to: string, rolledMonths: ReadonlySet<string>): RangeSplit {
  const months: string[] = [];
  const days: string[] = [];
  for (let day = from; day <= to; ) {
    const month = `${day.slice(0, 7)}-01`;
    const last = lastDayOfMonth(month);
    if (day === month && last <= to && rolledMonths.has(month)) {
      months.push(month);
      day = addDays(last, 1);
    } else {
      days.push(day);
      day = addDays(day, 1);
    }
  }
  return { months, days };
}
