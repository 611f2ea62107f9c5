/**
 * The benchmarks' one measuring helper: rounding, the summaries they report (median, nearest-rank
 * percentile, min–max), timing a call, and the machine's load, which every result records because
 * the machines these run on are shared.
 */
import os from 'node:os';

/** `value` to `digits` decimals, as a number. */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** `list[i]`, which must exist (callers index only within bounds). */
export function at<T>(list: ArrayLike<T>, i: number): T {
  const value = list[i];
  if (value === undefined) throw new RangeError(`index ${i} out of ${list.length}`);
  return value;
}

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? at(sorted, middle) : (at(sorted, middle - 1) + at(sorted, middle)) / 2;
}

/** Nearest-rank percentile (`p` from 0 to 100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return at(
    sorted,
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)),
  );
}

/** The smallest and largest value. */
export function minMax(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** Median and range of repeated runs, rounded: what the results files report. */
export function spread(values: readonly number[], digits = 1) {
  const { min, max } = minMax(values);
  return {
    median: round(median(values), digits),
    min: round(min, digits),
    max: round(max, digits),
    runs: values.map((value) => round(value, digits)),
  };
}

/** Runs `fn` and returns its value and how long it took (ms). */
export function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/** The 1-, 5- and 15-minute load averages, rounded. */
export const loadAverage = (): number[] => os.loadavg().map((load) => round(load, 2));

/** Whether other work is loading the machine (1-minute load above `share` of its cores). */
export const busyMachine = (load = os.loadavg()[0] ?? 0, share = 0.5): boolean =>
  load > os.cpus().length * share;

/** A repeated call's times: the first (cold caches) apart, then the median and p95 of the rest. */
export interface Sample {
  first: number;
  p50: number;
  p95: number;
}

/** Runs `fn` once (reported as `first`: cold SQLite cache), then `runs` times. */
export function sample(fn: () => unknown, runs: number): Sample {
  const [, first] = timed(fn);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timed(fn)[1]);
  return {
    first: round(first),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
  };
}
