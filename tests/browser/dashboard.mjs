// Loads the HTML dashboard in headless Chromium (Debian's `chromium` package) and checks what
// a reader sees: no console errors and no network requests, one row per result with the
// verdicts of the JSON report of the same run, filters that change what is shown, and a print
// to PDF. Screenshots and PDFs are kept in target/browser-artifacts/.
//
//   cargo build && npm ci --prefix tests/browser && node tests/browser/dashboard.mjs
//
// `--update-docs` also copies the dashboard's screenshot to docs/dashboard.png for the README.
import { chromium } from 'playwright-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = process.env.PLANCHECK ?? join(root, 'target', 'debug', 'plancheck');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(root, 'target', 'browser-artifacts');
const updateDocs = process.argv.includes('--update-docs');

const VERDICTS = ['met', 'ahead', 'on_track', 'behind', 'pending', 'overdue', 'unmet', 'missing', 'invalid'];

// The shipped samples, and a mid-year run in which cumulative targets are judged against the
// expected line.
const RUNS = [
  { name: 'samples', args: [] },
  { name: 'mid-year', args: ['--as-of', '2023-06-30'] },
];

/** Runs `plancheck check` with the JSON report on stdout and the dashboard in a file. */
function render(run) {
  const html = join(artifacts, `${run.name}.html`);
  const result = spawnSync(
    binary,
    ['check', '--rules', 'rules', '--format', 'json', '--report', `html=${html}`, ...run.args, 'examples'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  assert.ok(result.status === 0 || result.status === 1, `plancheck exited ${result.status}: ${result.stderr}`);
  return { html, json: JSON.parse(result.stdout) };
}

async function check(context, run) {
  const { html, json } = render(run);
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = pathToFileURL(html).href;
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
  await page.goto(url, { waitUntil: 'load' });

  // One row per result under 按任务, with the JSON report's verdict counts.
  for (const verdict of VERDICTS) {
    const rows = await page.locator(`#by-task tr.result[data-verdict="${verdict}"]`).count();
    assert.equal(rows, json.summary[verdict], `${run.name}: rows with verdict ${verdict}`);
  }
  assert.equal(await page.locator('#by-task tr.result').count(), json.results.length);
  // Every finding is listed: the results' and the other diagnostics.
  const findings = page.locator('tr.finding');
  const total = json.summary.errors + json.summary.warnings;
  assert.equal(await findings.count(), total, `${run.name}: findings`);
  const visible = () => page.locator('tr.finding:not([hidden])').count();
  assert.equal(await visible(), total);
  // A chart per cumulative rule with a trajectory.
  const cumulative = json.trajectories.filter((t) => t.kind === 'cumulative').length;
  assert.equal(await page.locator('svg.chart').count(), cumulative, `${run.name}: charts`);

  // The filters change what is shown, and the count says so.
  const failing = json.results.filter((r) => r.code !== null);
  const expectCount = async (n, what) => {
    assert.equal(await visible(), n, `${run.name}: ${what}`);
    assert.equal(await page.locator('#shown').textContent(), String(n));
  };
  await page.selectOption('select[name="severity"]', 'warning');
  await expectCount(json.summary.warnings, 'severity warning');
  await page.selectOption('select[name="severity"]', 'error');
  await expectCount(json.summary.errors, 'severity error');
  await page.selectOption('select[name="severity"]', '');
  const missing = failing.filter((r) => r.verdict === 'missing').length;
  if (missing > 0) {
    await page.selectOption('select[name="verdict"]', 'missing');
    await expectCount(missing, 'verdict missing');
    assert.ok(missing < total, 'the verdict filter hides something');
    await page.selectOption('select[name="verdict"]', '');
  }
  const task = failing[0]?.task;
  if (task !== undefined) {
    await page.selectOption('select[name="task"]', String(task));
    await expectCount(failing.filter((r) => r.task === task).length, `task ${task}`);
    await page.selectOption('select[name="task"]', '');
  }
  // The JSON report lists each task's leads once, under `tasks`.
  const leadsOf = (task) => json.tasks.find((t) => t.task === task)?.lead ?? [];
  const unit = failing.length > 0 ? leadsOf(failing[0].task)[0] : undefined;
  if (unit !== undefined) {
    await page.selectOption('select[name="unit"]', unit);
    // A result counts for its `by` units, else for the task's leads; the JSON names the
    // task's leads, so count rows the page attributes to the unit instead of guessing.
    const shown = await visible();
    assert.ok(shown > 0 && shown < total, `${run.name}: unit ${unit} shows ${shown} of ${total}`);
    await page.click('button[type="reset"]');
    await page.waitForFunction((n) => document.getElementById('shown').textContent === String(n), total);
  }
  await expectCount(total, 'after reset');

  // WCAG AA: text has a contrast of at least 4.5:1 against the background it sits on.
  const lowContrast = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]) => {
      const lin = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) { return c.slice(0, 3); }
      }
      return [255, 255, 255];
    };
    const bad = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest('script, style, [hidden]')) { continue; }
      const style = getComputedStyle(el);
      const fg = rgb(el.namespaceURI.endsWith('svg') ? style.fill : style.color).slice(0, 3);
      const [a, b] = [luminance(fg), luminance(background(el))].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < 4.5) { bad.add(`${el.tagName}.${el.className.baseVal ?? el.className}: ${ratio.toFixed(2)}`); }
    }
    return [...bad];
  });
  assert.deepEqual(lowContrast, [], `${run.name}: text below WCAG AA contrast`);

  // Screenshots of the page as it opens.
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.screenshot({ path: join(artifacts, `${run.name}-top.png`) });
  const charts = page.locator('#trajectories');
  if (await charts.count() > 0) {
    await charts.screenshot({ path: join(artifacts, `${run.name}-charts.png`) });
  }

  // Printing gives an A4 landscape PDF with every task opened.
  const groups = await page.locator('details').count();
  assert.equal(await page.locator('details[open]').count(), 0);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'a PDF');
  assert.ok(pdf.length > 10_000, 'a PDF with content');
  // Every page is A4 landscape: 297 × 210 mm is 842 × 595 points.
  const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)];
  assert.ok(boxes.length > 0, 'pages in the PDF');
  for (const [, w, h] of boxes) {
    assert.ok(Math.abs(w - 842) < 2 && Math.abs(h - 595) < 2, `A4 landscape, got ${w} × ${h}`);
  }
  assert.equal(await page.locator('details[open]').count(), groups, 'printing opens every group');
  writeFileSync(join(artifacts, `${run.name}.pdf`), pdf);
  await page.setViewportSize({ width: 1123, height: 794 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, `${run.name}-print.png`) });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.screenshot({ path: join(artifacts, `${run.name}-full.jpg`), fullPage: true, quality: 70 });

  assert.deepEqual(errors, [], `${run.name}: console errors`);
  assert.deepEqual(requests, [], `${run.name}: network requests`);
  await page.close();
  console.log(`ok ${run.name}: ${json.results.length} results, ${total} findings, ${cumulative} charts`);
}

async function docsScreenshot(context) {
  // The README's picture: the mid-year bulletin with one task opened.
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(join(artifacts, 'mid-year.html')).href);
  await page.evaluate(() => { document.querySelector('#by-task details').open = true; });
  const shot = join(artifacts, 'dashboard.png');
  await page.screenshot({ path: shot });
  await page.close();
  if (updateDocs) {
    copyFileSync(shot, join(root, 'docs', 'dashboard.png'));
  }
}

mkdirSync(artifacts, { recursive: true });
execFileSync(binary, ['--version']);
const profile = mkdtempSync(join(tmpdir(), 'plancheck-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  // Root in a container: Chromium's sandbox cannot start, and nothing may phone home.
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  for (const run of RUNS) {
    await check(context, run);
  }
  await docsScreenshot(context);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`artifacts in ${artifacts}`);
