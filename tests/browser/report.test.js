// The committee's report in a real browser (issue 16): axe-clean, and
// printed to PDF on A4 it is a short document with the title, "Vad vi gör
// nu" and the ranking of lacked support, and nothing of the screen's
// filter, tools or staff bar. And the results page for respondents
// (`publish_results`), axe-clean in Swedish and Arabic.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';

import { ENKAT, blockScript, launchBrowser, logIn, screenshotDir, startServer } from './harness.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const TITLE = 'Vad tyckte du om stödet från Nexus?';
const NOTE = 'Vi ordnar flytthjälp från januari och ringer upp inom en vecka.';

let server;
let browser;
let shots;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  shots = screenshotDir('report');
  // A year of synthetic responses, dated back from today, so that closed
  // periods have figures (a response given in the browser today would be
  // in the running period, which nothing shows). A language with fewer
  // than 5 responses in a month is counted only once its quarter closes
  // (src/report/release.rs), so the month the results page shows could be
  // empty: 2,000 responses (about 25 a month in Arabic, the rarest) fill
  // every month, whatever today's date makes the last closed one.
  for (const [id, responses] of [['nexus', '150'], ['stod', '2000']]) {
    execFileSync(
      ENKAT,
      ['seed', id, '--responses', responses, '--seed', '16', '--database-url', server.databaseUrl,
        '--questionnaires', server.questionnaires],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  assert.ok(results.passes.length > 10, 'axe ran its checks');
  return results.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
}

/// Saves "Vad vi gör nu" for the latest period the report offers.
async function saveNote(page, url, text) {
  await page.goto(url);
  await page.fill('#note', text);
  await Promise.all([page.waitForLoadState('load'), page.click('form.period-note button.submit')]);
  assert.equal(new URL(page.url()).pathname, new URL(url).pathname, 'back on the report');
}

test('the report is axe-clean and prints to a short A4 PDF without the screen\'s controls', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server.base);
  // Reached as staff reach it: the link on the results page.
  await page.goto(`${server.base}/staff/q/nexus`);
  await Promise.all([page.waitForLoadState('load'), page.click('.report-link a')]);
  assert.equal(new URL(page.url()).pathname, '/staff/q/nexus/rapport');
  await saveNote(page, page.url(), NOTE);
  assert.equal(await page.textContent('.now-note p'), NOTE);
  await page.screenshot({ path: path.join(shots, 'report.png'), fullPage: true });
  assert.equal(await axeViolations(page), '', 'axe found violations on the report');

  const pdf = path.join(shots, 'report.pdf');
  await page.pdf({ path: pdf, format: 'A4' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
  // A year of monthly periods: 8 pages of figures and 4 of the trend, three lines a page.
  assert.ok(pages >= 1 && pages <= 12, `the report prints on 1 to 12 A4 pages, not ${pages}`);
  // Words folded to single spaces: pdftotext breaks lines where the page does.
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const wanted of [TITLE, 'Vad vi gör nu', NOTE, 'Det praktiska stöd som saknades mest',
    'Praktiskt stöd som saknades', 'Så har siffrorna tagits fram', 'Andel positiva']) {
    assert.ok(text.includes(wanted), `the PDF says ${JSON.stringify(wanted)}`);
  }
  for (const unwanted of ['Urval', 'Från och med', 'Rensa urvalet', 'Dela upp', 'Ladda ner', 'Logga ut',
    'Inloggad som', 'testadmin', 'Innan du skriver ut', 'Tillbaka till resultaten']) {
    assert.ok(!text.includes(unwanted), `the PDF has no ${JSON.stringify(unwanted)}`);
  }
  await context.close();
});

test('the results page for respondents is axe-clean in Swedish and Arabic', async () => {
  const context = await browser.newContext();
  const staff = await context.newPage();
  await logIn(staff, server.base);
  await saveNote(staff, `${server.base}/staff/q/stod/rapport`, NOTE);
  await staff.close();
  const failures = [];
  for (const script of ['blocked', 'running']) {
    for (const lang of ['sv', 'ar']) {
      const page = await context.newPage();
      if (script === 'blocked') await blockScript(page);
      await page.goto(`${server.base}/s/stod/resultat?lang=${lang}`);
      assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
      assert.ok(await page.isVisible('.exit-bar .exit-button'), 'the exit button');
      assert.ok(await page.isVisible('.results-responses'), `figures of the latest closed period (${lang})`);
      assert.equal(await page.textContent('.results-now p'), NOTE);
      await page.screenshot({ path: path.join(shots, `published-${lang}-script-${script}.png`), fullPage: true });
      const violations = await axeViolations(page);
      if (violations) failures.push(`published-${lang} (script ${script}):\n${violations}`);
      await page.close();
    }
  }
  await context.close();
  assert.equal(failures.join('\n\n'), '', 'axe found violations');
});
