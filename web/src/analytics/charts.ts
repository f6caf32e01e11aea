/** Apache ECharts, only the parts the pages use (bar, line, pie on canvas), bundled by esbuild. */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { AnalyticsTable } from '../../../src/wire/analytics.ts';
import { chartOption } from './model.ts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const charts = new Map<HTMLElement, echarts.ECharts>();

/** Draws (or redraws) the table's chart in `host`. */
export function drawChart(host: HTMLElement, table: AnalyticsTable, animation = true): void {
  let chart = charts.get(host);
  if (!chart) {
    chart = echarts.init(host, undefined, { renderer: 'canvas' });
    charts.set(host, chart);
  }
  chart.setOption(chartOption(table, animation), true);
}

export function resizeCharts(): void {
  for (const c of charts.values()) c.resize();
}
