/** Today's figures and the geometry of the by-hour bar chart (pure; drawn by stats-view.ts). */
import { formatOptionalDuration, formatPercent } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import type { HourBucket, TodayStats } from '../../../src/wire/queue.ts';

export interface Figure {
  id: string;
  label: string;
  value: string;
}

/** Today's figures, each with the id of its element (`#stats-<id>`). */
export function statFigures(s: TodayStats | null): Figure[] {
  const n = (v: number | undefined): string => (s && typeof v === 'number' ? String(v) : '—');
  return [
    { id: 'offered', label: t('statOffered'), value: n(s?.offered) },
    { id: 'answered', label: t('statAnswered'), value: n(s?.answered) },
    { id: 'abandoned', label: t('statAbandoned'), value: n(s?.abandoned) },
    { id: 'callbacks', label: t('statCallbacks'), value: n(s?.callbacks) },
    { id: 'service-level', label: t('statServiceLevel'), value: formatPercent(s?.serviceLevel) },
    { id: 'asa', label: t('statAsa'), value: formatOptionalDuration(s?.averageSpeedOfAnswerSec) },
    { id: 'longest-wait', label: t('statLongestWait'), value: formatOptionalDuration(s?.longestWaitSec) },
    { id: 'abandon-rate', label: t('statAbandonRate'), value: formatPercent(s?.abandonRate) },
    { id: 'escalations', label: t('statEscalations'), value: n(s?.escalations) },
  ];
}

export interface ChartSize {
  width: number;
  height: number;
  /** Room under the bars for hour labels. */
  axis: number;
}

export const CHART_SIZE: ChartSize = { width: 480, height: 140, axis: 16 };

export interface Bar {
  hour: number;
  x: number;
  width: number;
  y: number;
  height: number;
}

export interface HourColumn {
  hour: number;
  offered: Bar;
  answered: Bar;
  /** Tooltip text. */
  title: string;
  /** Label under the column, every third hour. */
  label: string | null;
  labelX: number;
}

export interface ChartModel {
  columns: HourColumn[];
  max: number;
  baseline: number;
}

/** 24 columns (hours 0-23; missing hours are zero), two bars each, scaled to the busiest hour. */
export function barChart(byHour: readonly HourBucket[], size: ChartSize = CHART_SIZE): ChartModel {
  const byH = new Map<number, HourBucket>();
  for (const b of byHour) if (Number.isInteger(b.hour) && b.hour >= 0 && b.hour < 24) byH.set(b.hour, b);
  const max = Math.max(1, ...[...byH.values()].flatMap((b) => [b.offered, b.answered]));
  const baseline = size.height - size.axis;
  const slot = size.width / 24;
  const barW = Math.max(1, Math.floor(slot * 0.4 * 10) / 10);
  const bar = (hour: number, x: number, value: number): Bar => {
    const h = Math.round((Math.max(0, value) / max) * baseline * 10) / 10;
    return { hour, x: round1(x), width: barW, y: round1(baseline - h), height: h };
  };
  const columns: HourColumn[] = [];
  for (let hour = 0; hour < 24; hour += 1) {
    const b = byH.get(hour);
    const offered = b?.offered ?? 0;
    const answered = b?.answered ?? 0;
    const x0 = hour * slot + slot * 0.1;
    columns.push({
      hour,
      offered: bar(hour, x0, offered),
      answered: bar(hour, x0 + barW, answered),
      title: `${hour}时 ${t('statOffered')} ${offered} / ${t('statAnswered')} ${answered}` +
        (b?.averageWaitSec != null ? ` · ${formatOptionalDuration(b.averageWaitSec)}` : ''),
      label: hour % 3 === 0 ? String(hour) : null,
      labelX: round1(hour * slot + slot / 2),
    });
  }
  return { columns, max, baseline };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
