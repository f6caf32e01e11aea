/**
 * The scenarios of docs/reliability.md as it stands, for those the new run did not measure: their
 * summary row and their section, kept word for word (each section says when it was measured).
 */
export interface EarlierScenario {
  scenario: string;
  row: string;
  section: string[];
}

export function earlierScenarios(page: string, measuredNow: ReadonlySet<string>): EarlierScenario[] {
  const lines = page.split('\n');
  const rows = new Map<string, string>();
  for (const l of lines) {
    const m = /^\| (\d+\. [^|]+?) \|/.exec(l);
    if (m) rows.set(m[1] as string, l);
  }
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const l of lines) {
    const h = /^## (\d+\. .+)$/.exec(l);
    if (h) {
      current = [l];
      sections.set(h[1] as string, current);
    } else if (/^## /.test(l)) {
      current = null;
    } else if (current) {
      current.push(l);
    }
  }
  return [...rows.entries()]
    .filter(([scenario]) => !measuredNow.has(scenario))
    .map(([scenario, row]) => ({ scenario, row, section: sections.get(scenario) ?? [] }));
}
