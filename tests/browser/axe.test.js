// Every page through axe (WCAG 2.0/2.1 A and AA, 2.2 AA), once with the
// app's script blocked and once with it running; every respondent page
// through the Nu Html Checker (vnu-jar); a screenshot of each.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createRequire } from 'node:module';

import { AxeBuilder } from '@axe-core/playwright';

import {
  REPO, answerNexus, answerRequired, blockScript, launchBrowser, logIn, openForm, screenshotDir, sendStep, startServer,
} from './harness.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// The respondent routes the pages below cover. It must follow the routers in
// src/web/respond.rs, src/web/safety.rs (and any other non-staff router): the
// test "every respondent route is scanned" reads the routes from the source
// and fails for one this list does not name.
const ROUTES = [
  '/s/{id}', '/s/{id}/tack', '/s/{id}/sakert', '/s/{id}/resultat', '/integritet', '/tillganglighet', '/tillganglighet/tack',
];
// Routes that are not pages a person reads.
const NOT_PAGES = ['/assets/enkat.css', '/assets/enkat.js', '/assets/paper.js', '/healthz', '/readyz'];

// Respondent pages: [name, route, how to reach it]. `goto` gets the page and
// the server and leaves the page showing what is to be scanned.
const RESPONDENT_PAGES = [
  ['start-sv', '/s/{id}', (page, s) => page.goto(`${s.base}/s/nexus?lang=sv`)],
  ['start-en', '/s/{id}', (page, s) => page.goto(`${s.base}/s/nexus?lang=en`)],
  ['start-ar', '/s/{id}', (page, s) => page.goto(`${s.base}/s/nexus?lang=ar`)],
  ['form-sv', '/s/{id}', (page, s) => openForm(page, s.base, '/s/nexus?lang=sv')],
  ['form-en', '/s/{id}', (page, s) => openForm(page, s.base, '/s/nexus?lang=en')],
  ['form-ar', '/s/{id}', (page, s) => openForm(page, s.base, '/s/nexus?lang=ar')],
  ['form-errors-sv', '/s/{id}', async (page, s) => {
    await openForm(page, s.base, '/s/steg?lang=sv');
    // A support ticked makes the follow-up required; it is left unanswered.
    await page.check('#q-received-move');
    await Promise.all([page.waitForLoadState('load'), page.click('button.submit')]);
  }],
  ['form-errors-en', '/s/{id}', async (page, s) => {
    await openForm(page, s.base, '/s/steg?lang=en');
    // A support ticked makes the follow-up required; it is left unanswered.
    await page.check('#q-received-move');
    await Promise.all([page.waitForLoadState('load'), page.click('button.submit')]);
  }],
  // Page 2, with the follow-up questions that appear as the person answers.
  ['form-page-2-sv', '/s/{id}', (page, s) => secondPage(page, s, 'sv')],
  ['form-page-2-ar', '/s/{id}', (page, s) => secondPage(page, s, 'ar')],
  // The lacked supports (with the "eller" divider before the exclusive
  // answer), and the page built from those ticked there.
  ['form-lacked-ar', '/s/{id}', (page, s) => lackedPage(page, s, 'ar')],
  ['form-most-needed-sv', '/s/{id}', (page, s) => mostNeededPage(page, s, 'sv')],
  ['form-most-needed-ar', '/s/{id}', (page, s) => mostNeededPage(page, s, 'ar')],
  // The safety and privacy pages opened from inside the form.
  ['aside-safety-sv', '/s/{id}', async (page, s) => {
    await secondPage(page, s, 'sv');
    await sendStep(page, () => page.click('.site-footer button[value=safety]'));
  }],
  ['aside-privacy-ar', '/s/{id}', async (page, s) => {
    await secondPage(page, s, 'ar');
    await sendStep(page, () => page.click('.site-footer button[value=privacy]'));
  }],
  ['thanks-sv', '/s/{id}/tack', (page, s) => page.goto(`${s.base}/s/nexus/tack?lang=sv`)],
  ['thanks-en', '/s/{id}/tack', (page, s) => page.goto(`${s.base}/s/nexus/tack?lang=en`)],
  ['thanks-ar', '/s/{id}/tack', (page, s) => page.goto(`${s.base}/s/nexus/tack?lang=ar`)],
  ['safety-sv', '/s/{id}/sakert', (page, s) => page.goto(`${s.base}/s/nexus/sakert`)],
  ['safety-en', '/s/{id}/sakert', (page, s) => page.goto(`${s.base}/s/nexus/sakert?lang=en`)],
  ['safety-ar', '/s/{id}/sakert', (page, s) => page.goto(`${s.base}/s/nexus/sakert?lang=ar`)],
  ['published-sv', '/s/{id}/resultat', (page, s) => page.goto(`${s.base}/s/stod/resultat?lang=sv`)],
  ['published-ar', '/s/{id}/resultat', (page, s) => page.goto(`${s.base}/s/stod/resultat?lang=ar`)],
  ['privacy-sv', '/integritet', (page, s) => page.goto(`${s.base}/integritet`)],
  ['privacy-en', '/integritet', (page, s) => page.goto(`${s.base}/integritet?lang=en`)],
  // The accessibility statement (more in accessibility.test.js).
  ['statement-sv', '/tillganglighet', (page, s) => page.goto(`${s.base}/tillganglighet`)],
  ['statement-thanks-ar', '/tillganglighet/tack', (page, s) => page.goto(`${s.base}/tillganglighet/tack?lang=ar`)],
  ['not-found', null, (page, s) => page.goto(`${s.base}/s/finns-inte`)],
  ['code-start', '/s/{id}', (page, s) => page.goto(`${s.base}/s/nexus-kort`)],
  ['code-invalid', '/s/{id}', (page, s) => page.goto(`${s.base}/s/nexus-kort?kod=AAAA-BBBB-CCCC`)],
  ['code-accepted', '/s/{id}', (page, s) => page.goto(`${s.base}/s/nexus-kort?kod=${s.newCode()}`)],
  ['code-form', '/s/{id}', (page, s) => openForm(page, s.base, `/s/nexus-kort?kod=${s.newCode()}`)],
  ['not-open', '/s/{id}', (page, s) => page.goto(`${s.base}/s/winter`)],
];

/// The Nexus form's second page, reached by answering the first.
async function secondPage(page, s, lang) {
  await openForm(page, s.base, `/s/nexus?lang=${lang}`);
  await answerRequired(page);
  await sendStep(page, () => page.click('button.submit'));
}

/// The Nexus form's page of lacked supports (its third).
async function lackedPage(page, s, lang) {
  await secondPage(page, s, lang);
  await sendStep(page, () => page.click('button.submit'));
  await page.waitForSelector('input[name=missing_support]');
}

/// The page that asks which lacked support mattered most: two ticked.
async function mostNeededPage(page, s, lang) {
  await lackedPage(page, s, lang);
  await page.check('input[name=missing_support] >> nth=0');
  await page.check('input[name=missing_support] >> nth=2');
  await sendStep(page, () => page.click('button.submit'));
  await page.waitForSelector('input[name=most_needed]');
}

const STAFF_PAGES = [
  ['staff-login', (page, s) => page.goto(`${s.base}/staff/login`)],
  ['staff-start', (page, s) => page.goto(`${s.base}/staff`)],
  ['staff-results', (page, s) => page.goto(`${s.base}/staff/q/nexus`)],
  ['staff-audit', (page, s) => page.goto(`${s.base}/staff/audit`)],
  ['staff-codes', (page, s) => page.goto(`${s.base}/staff/q/nexus-kort/codes`)],
  ['staff-paper', (page, s) => page.goto(`${s.base}/staff/q/nexus/paper`)],
  ['staff-paper-coded', (page, s) => page.goto(`${s.base}/staff/q/nexus-kort/paper`)],
  ['staff-files', (page, s) => page.goto(`${s.base}/staff/admin/questionnaires`)],
  ['staff-accessibility', (page, s) => page.goto(`${s.base}/staff/admin/tillganglighet`)],
  ['staff-preview', (page, s) => page.goto(`${s.base}/staff/admin/preview/winter`)],
  ['staff-preview-ar', (page, s) => openForm(page, s.base, '/staff/admin/preview/nexus?lang=ar')],
];

let server;
let browser;
let shots;
const vnuPages = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  shots = screenshotDir('axe');
  // A few responses, so the results page has numbers and charts.
  const page = await browser.newPage();
  for (const lang of ['sv', 'en', 'sv']) await answerNexus(page, server.base, lang);
  await page.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
    .join('\n');
}

async function scan(page, name) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  // An axe that checked nothing would pass everything.
  assert.ok(results.passes.length > 10, `axe ran its checks on ${name}`);
  return results.violations.length === 0 ? '' : `${name}:\n${describe(results.violations)}`;
}

// Every respondent page at a phone's width with the script blocked, and
// at a desktop's with it running: both widths, both modes, one pass each.
const WIDTH = { blocked: { width: 320, height: 640 }, running: { width: 1280, height: 720 } };

for (const script of ['blocked', 'running']) {
  test(`axe: respondent pages, script ${script}, ${WIDTH[script].width} px`, async () => {
    const context = await browser.newContext({ viewport: WIDTH[script] });
    const failures = [];
    for (const [name, , goto] of RESPONDENT_PAGES) {
      const page = await context.newPage();
      if (script === 'blocked') await blockScript(page);
      await goto(page, server);
      await page.screenshot({ path: path.join(shots, `${name}-script-${script}.png`), fullPage: true });
      if (script === 'blocked') vnuPages.push([name, await page.content()]);
      const failure = await scan(page, `${name} (script ${script})`);
      if (failure) failures.push(failure);
      await page.close();
    }
    await context.close();
    assert.equal(failures.join('\n\n'), '', 'axe found violations');
  });

  test(`axe: staff pages, script ${script}`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    const failures = [];
    for (const [name, goto] of STAFF_PAGES) {
      if (name === 'staff-start') await logIn(page, server.base);
      await goto(page, server);
      await page.screenshot({ path: path.join(shots, `${name}-script-${script}.png`), fullPage: true });
      const failure = await scan(page, `${name} (script ${script})`);
      if (failure) failures.push(failure);
    }
    await context.close();
    assert.equal(failures.join('\n\n'), '', 'axe found violations');
  });
}

test('every respondent route is scanned', () => {
  const web = path.join(REPO, 'src/web');
  const files = readdirSync(web, { recursive: true }).filter((file) => file.endsWith('.rs'));
  const routes = new Set();
  for (const file of files) {
    for (const match of readFileSync(path.join(web, file), 'utf8').matchAll(/\.route\(\s*"([^"]+)"/g)) {
      routes.add(match[1]);
    }
  }
  assert.ok(routes.has('/s/{id}'), 'the route reader found the form route');
  const respondent = [...routes].filter((route) => !route.startsWith('/staff') && !NOT_PAGES.includes(route)).sort();
  assert.deepEqual(respondent, [...ROUTES].sort(), 'ROUTES must list every respondent route (src/web/respond.rs ...)');
  const scanned = new Set(RESPONDENT_PAGES.map(([, route]) => route));
  for (const route of ROUTES) assert.ok(scanned.has(route), `no page of ${route} is scanned`);
});

test('every respondent page is valid HTML (vnu)', async (t) => {
  let jar;
  try {
    jar = createRequire(import.meta.url)('vnu-jar'); // the jar's path
  } catch {
    t.skip('vnu-jar is not installed');
    return;
  }
  assert.ok(vnuPages.length > 0, 'the axe test with the script blocked collected the pages');
  const files = vnuPages.map(([name, html]) => {
    const file = path.join(shots, `${name}.html`);
    writeFileSync(file, html);
    return file;
  });
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', ...files], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`vnu found errors:\n${error.stderr}${error.stdout}`);
  }
});
