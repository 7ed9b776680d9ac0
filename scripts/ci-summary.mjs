/**
 * `node scripts/ci-summary.mjs <dir>`: the closing line of `.ci/run`, `N passed, M failed[, K skipped]`,
 * summed over every test report in <dir>:
 *
 * - `*.xml`: JUnit XML (schemathesis `--report junit`, pytest `--junitxml`, …): one test per `<testcase>`,
 *   failed when it holds a `<failure>` or `<error>`, skipped when it holds `<skipped>`;
 * - `*.json`: vitest/jest JSON reports (`numTotalTests`, …); a test file that failed outside any test
 *   (import error, failing hook) counts as one failed test;
 * - `steps.tsv`: one line per step, `name<TAB>exit code<TAB>tests|setup`. A report belongs to the step its
 *   file name starts with (`fuzz.xml`, `test.json` → steps `fuzz`, `test`). A failed step with no failing
 *   test in its reports (typecheck, lint, a crash, a failed install) counts as one failed test; a `tests`
 *   step that wrote no report counts as one failed test too, so a step cannot pass by reporting nothing.
 *
 * Prints one line per report and step, then the closing line; exits 1 when anything failed or nothing ran.
 * Plain ESM without dependencies, so it runs on any Node even when `npm ci` failed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/ci-summary.mjs <report directory>');
  process.exit(2);
}

/** @typedef {{passed: number, failed: number, skipped: number}} Counts */

/** @returns {Counts} */
function junitCounts(xml) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  // A <testcase …/> or <testcase …>…</testcase>; attribute values may hold '>' and '/'.
  const testcase = /<testcase\b(?:[^>"']|"[^"]*"|'[^']*')*?(\/)?>/g;
  for (let match = testcase.exec(xml); match; match = testcase.exec(xml)) {
    let body = '';
    if (!match[1]) {
      const end = xml.indexOf('</testcase>', testcase.lastIndex);
      body = xml.slice(testcase.lastIndex, end === -1 ? xml.length : end);
    }
    if (/<(failure|error)\b/.test(body)) counts.failed += 1;
    else if (/<skipped\b/.test(body)) counts.skipped += 1;
    else counts.passed += 1;
  }
  return counts;
}

/** @returns {Counts | undefined} */
function vitestCounts(report) {
  if (typeof report?.numTotalTests !== 'number') return undefined;
  const counts = {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) counts.failed += 1;
  }
  return counts;
}

const total = { passed: 0, failed: 0, skipped: 0 };
/** Failed tests per report file, to know whether a failed step is already counted. */
const failedByFile = new Map();
const lines = [];
const add = (counts) => {
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
};
const format = (counts) =>
  `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`;

let files = [];
try {
  files = readdirSync(dir).sort();
} catch (error) {
  lines.push(`cannot read ${dir}: ${error.message}`);
}
for (const file of files.filter((name) => name.endsWith('.xml') || name.endsWith('.json'))) {
  let counts;
  try {
    const text = readFileSync(join(dir, file), 'utf8');
    counts = file.endsWith('.xml') ? junitCounts(text) : vitestCounts(JSON.parse(text));
  } catch (error) {
    counts = undefined;
    lines.push(`${file}: unreadable (${error.message})`);
  }
  if (!counts) {
    lines.push(`${file}: not a JUnit XML or vitest JSON report, counted as 1 failed`);
    counts = { passed: 0, failed: 1, skipped: 0 };
  } else {
    lines.push(`${file}: ${format(counts)}`);
  }
  failedByFile.set(file, counts.failed);
  add(counts);
}

let steps = [];
try {
  steps = readFileSync(join(dir, 'steps.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', code = '', kind = 'tests'] = line.split('\t');
      return { name, code: Number(code), kind };
    });
} catch {
  // No step list: the reports alone.
}
for (const { name, code, kind } of steps) {
  const reports = [...failedByFile.keys()].filter((file) => file.startsWith(`${name}.`));
  const failedInReports = reports.reduce((sum, file) => sum + failedByFile.get(file), 0);
  if (code !== 0 && failedInReports === 0) {
    lines.push(`step ${name}: exited ${code} with no failing test in a report, counted as 1 failed`);
    add({ passed: 0, failed: 1, skipped: 0 });
  } else if (kind === 'tests' && reports.length === 0) {
    lines.push(`step ${name}: wrote no test report, counted as 1 failed`);
    add({ passed: 0, failed: 1, skipped: 0 });
  } else {
    lines.push(`step ${name}: exited ${code}`);
  }
}

console.log(lines.map((line) => `ci summary: ${line}`).join('\n'));
console.log(format(total));
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
