/**
 * `npm run bench` entry point: runs every benchmark module in BENCHMARKS (or those whose name
 * contains one of the command-line arguments: `node dist/bench/run.js parse`) and prints each
 * report as a table, after one line describing the machine.
 *
 * To add a benchmark: write bench/<name>.ts exporting `benchmark: Benchmark`, and add one line
 * to BENCHMARKS.
 */
import { arch, cpus, platform, release, totalmem } from 'node:os';

export interface BenchReport {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Free text printed under the table (method, caveats). */
  readonly notes?: readonly string[];
}

export interface Benchmark {
  readonly name: string;
  /** One sentence: what it measures. */
  readonly description: string;
  run(): Promise<BenchReport>;
}

interface BenchmarkEntry {
  readonly name: string;
  readonly load: () => Promise<Benchmark>;
}

const BENCHMARKS: readonly BenchmarkEntry[] = [
  { name: 'parse', load: async () => (await import('./parse.js')).benchmark },
  { name: 'e2e-throughput', load: async () => (await import('./e2e-throughput.js')).benchmark },
  { name: 'e2e-latency', load: async () => (await import('./e2e-latency.js')).benchmark },
  { name: 'e2e-recovery', load: async () => (await import('./e2e-recovery.js')).benchmark },
  { name: 'e2e-soak', load: async () => (await import('./e2e-soak.js')).benchmark },
  { name: 'dashboard-cpu', load: async () => (await import('./dashboard-cpu.js')).benchmark },
];

export function machineLine(): string {
  const cpu = cpus();
  return `node ${process.version} · ${platform()} ${release()} ${arch()} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

/** Terminal columns of a string: Hangul and other wide characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1;
  return w;
}

export function formatTable(report: BenchReport): string {
  const all = [report.columns, ...report.rows];
  const widths = report.columns.map((_, c) => Math.max(...all.map((r) => displayWidth(r[c] ?? ''))));
  const pad = (cell: string, c: number): string => cell + ' '.repeat(Math.max(0, (widths[c] ?? 0) - displayWidth(cell)));
  const line = (r: readonly string[]): string => '| ' + r.map(pad).join(' | ') + ' |';
  const out = [`### ${report.title}`, '', line(report.columns), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...report.rows.map(line)];
  if (report.notes !== undefined && report.notes.length > 0) out.push('', ...report.notes);
  return out.join('\n');
}

async function main(filters: readonly string[]): Promise<number> {
  const selected = BENCHMARKS.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  if (selected.length === 0) {
    console.error(`no benchmark matches ${filters.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  console.log(machineLine());
  for (const entry of selected) {
    const bench = await entry.load();
    console.log(`\n${bench.name}: ${bench.description}\n`);
    console.log(formatTable(await bench.run()));
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { console.error(err); process.exitCode = 1; },
  );
}
