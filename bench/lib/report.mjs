// Table formatting and the bar (pass/fail threshold) registry.

export const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
export const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
export const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');
export const fmtPct = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : 'n/a');

/**
 * A/B mode: a test whose candidate ratio is more than this fraction below
 * the baseline build's ratio is flagged REGRESSION? (the project rule: no
 * ratio may drop by more than 3%). A flag to look at, not a verdict: one
 * round on a shared machine can move by far more than 3%.
 */
export const AB_LIMIT = 0.03;

/**
 * candRatio / baseRatio - 1 and the flag. In the throughput sections both
 * ratios share the redis median, so this is also candidate/baseline ops/s.
 */
export function abChange(candRatio, baseRatio) {
  const change = Number.isFinite(candRatio) && Number.isFinite(baseRatio) && baseRatio > 0 ? candRatio / baseRatio - 1 : null;
  return { change, regression: change !== null && change < -AB_LIMIT };
}

/** Plain aligned text table. Numeric-looking cells are right-aligned. */
export function textTable(headers, rows) {
  const all = [headers, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const w = headers.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const num = (s) => /^[-+]?[\d,.]+(x|%| ms| µs| B)?$/.test(s) || s === 'n/a';
  const line = (r) => r.map((c, i) => (num(c) && i > 0 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  return [line(all[0]), w.map((x) => '-'.repeat(x)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function mdTable(headers, rows) {
  const esc = (c) => String(c ?? '').replaceAll('|', '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/**
 * Collects bars. status is PASS / FAIL when measured, SKIP when the server
 * lacks the commands (never counted as a pass), ERROR when the measurement
 * itself failed.
 */
export class Bars {
  constructor() { this.list = []; }

  /** op: '>=' or '<='. value null/NaN with a reason -> SKIP or ERROR. */
  check(section, name, value, op, threshold, { unit = 'x', skip, error } = {}) {
    let status;
    if (skip) status = 'SKIP';
    else if (error || !Number.isFinite(value)) status = 'ERROR';
    else status = (op === '>=' ? value >= threshold : value <= threshold) ? 'PASS' : 'FAIL';
    const bar = { section, name, value: Number.isFinite(value) ? value : null, op, threshold, unit, status, reason: skip || error || null };
    this.list.push(bar);
    return bar;
  }

  skipSection(section, name, op, threshold, reason, unit = 'x') {
    return this.check(section, name, null, op, threshold, { skip: reason, unit });
  }

  rows() {
    return this.list.map((b) => [
      b.section,
      b.name,
      b.value === null ? 'n/a' : `${fmt(b.value)}${b.unit}`,
      b.threshold === null ? '' : `${b.op} ${b.threshold}${b.unit}`,
      b.status,
      b.reason ?? '',
    ]);
  }

  markdown() {
    return mdTable(['section', 'bar', 'measured', 'target', 'result', 'note'], this.rows());
  }
}
