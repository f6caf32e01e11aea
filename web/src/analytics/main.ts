/** Entry of analytics.html (统计分析): filters, charts, tables and exports, for supervisors and admins. */
import { createApi, ensureSignedIn, initLocale, onSessionLost, signOut } from '../shared/auth.ts';
import { byId, el, setText, show, toast } from '../shared/dom.ts';
import type { AnalyticsOption, AnalyticsOptionsResponse, AnalyticsQuery, AnalyticsResponse } from '../../../src/wire/analytics.ts';
import { resizeCharts } from './charts.ts';
import { queryString } from './model.ts';
import { renderTables } from './tables-view.ts';

const input = (id: string) => byId<HTMLInputElement | HTMLSelectElement>(id);

function fill(select: HTMLSelectElement, options: AnalyticsOption[]): void {
  select.append(...options.map((o) => el('option', { value: o.value }, o.label)));
}

function currentQuery(): AnalyticsQuery {
  const q: AnalyticsQuery = {};
  for (const key of ['from', 'to', 'line', 'team', 'category', 'grade'] as const) {
    const v = input(`filter-${key}`).value;
    if (v) q[key] = v;
  }
  q.period = input('filter-period').value === 'month' ? 'month' : 'day';
  return q;
}

async function main(): Promise<void> {
  initLocale();
  const api = createApi();
  const user = await ensureSignedIn(api, 'analytics');
  show(byId('app'), true);
  setText(byId('user-name'), user.name);
  byId('signout').addEventListener('click', () => void signOut(api));

  const options = await api.get<AnalyticsOptionsResponse>('/api/analytics/options');
  fill(input('filter-line') as HTMLSelectElement, options.lines);
  fill(input('filter-team') as HTMLSelectElement, options.teams);
  fill(input('filter-category') as HTMLSelectElement, options.categories);
  fill(input('filter-grade') as HTMLSelectElement, options.grades);
  // This month by default, unless someone typed dates while the options were loading.
  if (!input('filter-from').value) input('filter-from').value = `${options.today.slice(0, 8)}01`;
  if (!input('filter-to').value) input('filter-to').value = options.today;
  byId<HTMLInputElement>('report-month').value = options.today.slice(0, 7);

  // Only the latest query's answer is shown: a slow earlier one must not overwrite it.
  let latest = 0;
  const load = async () => {
    const q = currentQuery();
    const mine = ++latest;
    byId('app').setAttribute('aria-busy', 'true');
    try {
      const res = await api.get<AnalyticsResponse>(`/api/analytics?${queryString(q)}`);
      if (mine !== latest) return;
      setText(byId('period-text'), `${res.filter.from} 至 ${res.filter.to}（北京时间）· 服务水平：${res.serviceLevelSeconds}秒内接通 / 进入排队`);
      byId<HTMLAnchorElement>('export-all').href = `/api/analytics/export?${queryString(q, { format: 'xlsx', table: 'all' })}`;
      renderTables(byId('tables'), res.tables, (id, format) => `/api/analytics/export?${queryString(q, { format, table: id })}`);
      byId('app').dataset.loaded = String(Date.now());
    } catch (e) {
      toast(`查询失败：${(e as Error).message}`, 'error');
    } finally {
      byId('app').removeAttribute('aria-busy');
    }
  };
  onSessionLost(api, () => void load());
  byId('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  byId('report-form').addEventListener('submit', (e) => {
    e.preventDefault();
    window.open(`analytics-report.html?month=${encodeURIComponent(byId<HTMLInputElement>('report-month').value)}`, '_blank', 'noopener');
  });
  window.addEventListener('resize', () => resizeCharts());
  await load();
}

void main();
