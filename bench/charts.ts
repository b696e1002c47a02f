/**
 * SVG charts of a benchmark report, written next to its JSON (`latest.json` -> `latest.<chart>.svg`), drawn with
 * Apache ECharts' server-side SVG renderer: pure JavaScript, no browser, no canvas. Each chart puts the relay's
 * figure beside the baseline measured in the same run.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as echarts from 'echarts';
import type { BenchReport } from './report.js';

const WIDTH = 720;
const HEIGHT = 360;
const OURS = '#3b7dd8';
const BASELINE = '#b0b0b0';

interface Series {
  name: string;
  values: number[];
  color: string;
}

function renderBars(title: string, unit: string, categories: string[], series: Series[], kind: 'bar' | 'line' = 'bar'): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 70, right: 20, top: 50, bottom: 60 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', name: unit, nameLocation: 'middle', nameGap: 50 },
    series: series.map((s) => ({
      name: s.name,
      type: kind,
      data: s.values,
      itemStyle: { color: s.color },
      lineStyle: { color: s.color },
      label: { show: true, position: 'top', fontSize: 10 },
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** The charts a report has data for, as file name suffix -> SVG text. */
export function charts(report: BenchReport): Map<string, string> {
  const out = new Map<string, string>();
  const cold = report.coldStart;
  if (cold && cold.length > 0) {
    const names = cold.map((f) => f.function);
    out.set(
      'cold-start-import',
      renderBars('Import time over an empty module (median)', 'ms', names, [
        { name: 'before issue 13 (full undici and zod, source maps on)', values: cold.map((f) => f.before.importMs), color: BASELINE },
        { name: 'as deployed', values: cold.map((f) => f.importMs), color: OURS },
      ]),
    );
    out.set(
      'cold-start-size',
      renderBars('Bundle size (minified)', 'KiB', names, [
        { name: 'before issue 13', values: cold.map((f) => Math.round(f.before.bundleBytes / 1024)), color: BASELINE },
        { name: 'as deployed', values: cold.map((f) => Math.round(f.bundleBytes / 1024)), color: OURS },
        { name: 'budget (test/cdk/bundle.test.ts)', values: cold.map((f) => Math.round(f.budgetBytes / 1024)), color: '#e0a040' },
      ]),
    );
  }
  const sweep = report.sweep;
  if (sweep && sweep.length > 0) {
    const sizes = sweep.map((s) => s.registryItems.toLocaleString('en-US'));
    out.set(
      'sweep-seconds',
      renderBars('Sweep wall time against registry size (median)', 's', sizes, [
        { name: 'baseline (Scan, one SP call per item)', values: sweep.map((s) => s.baseline.seconds), color: BASELINE },
        { name: 'sweeper', values: sweep.map((s) => s.seconds), color: OURS },
        { name: 'upstream floor (sweeper)', values: sweep.map((s) => s.upstreamFloorSeconds), color: '#7cc47c' },
      ], 'line'),
    );
    out.set(
      'sweep-calls',
      renderBars('SP calls per sweep against registry size', 'calls', sizes, [
        { name: 'baseline', values: sweep.map((s) => s.baseline.upstreamCalls), color: BASELINE },
        { name: 'sweeper', values: sweep.map((s) => s.upstreamCalls), color: OURS },
      ]),
    );
  }
  const serial = report.relay?.serial;
  if (serial) {
    const routes = Object.keys(serial.routes);
    out.set(
      'relay-p50',
      renderBars(`p50 latency, concurrency 1, upstream ${report.relay?.upstreamLatencyMs ?? 0} ms`, 'ms', routes, [
        { name: 'direct to the simulator', values: routes.map((r) => serial.routes[r]?.direct.p50Ms ?? 0), color: BASELINE },
        { name: 'through the relay handler', values: routes.map((r) => serial.routes[r]?.relayed.p50Ms ?? 0), color: OURS },
      ]),
    );
  }
  return out;
}

/** Writes each chart beside `jsonFile`; returns the files written. */
export function writeCharts(report: BenchReport, jsonFile: string): string[] {
  const base = jsonFile.replace(/\.json$/, '');
  const written: string[] = [];
  for (const [name, svg] of charts(report)) {
    const file = `${base}.${name}.svg`;
    writeFileSync(file, `${svg}\n`);
    written.push(path.basename(file));
  }
  return written;
}
