// The accessibility statement (/tillganglighet) in the browser: axe clean at
// 320 and 1280 px in Swedish, English and Arabic, on the statement and on its
// report form with an error shown; no sideways scrolling at 320 px; a report
// written and sent with the keyboard only, and an admin's page of reports.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';

import { launchBrowser, logIn, screenshotDir, startServer } from './harness.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [320, 1280];
const LANGUAGES = ['sv', 'en', 'ar'];

let server;
let browser;
let shots;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  shots = screenshotDir('accessibility');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/// axe's violations on the page as it is now, each as `rule: targets`.
async function violations(page) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/// Sends the report form empty, by its button, and waits for the answer.
async function sendEmpty(page) {
  await Promise.all([page.waitForNavigation(), page.click('form.report button.submit')]);
}

/// A page in a context of its own (axe's Playwright builder needs one).
async function newPage(viewport) {
  const context = await browser.newContext({ viewport });
  return context.newPage();
}

for (const lang of LANGUAGES) {
  for (const width of WIDTHS) {
    test(`the statement and its form with an error, ${lang} at ${width} px: axe clean, no sideways scrolling`, async () => {
      const page = await newPage({ width, height: 900 });
      await page.goto(`${server.base}/tillganglighet?lang=${lang}`);
      assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
      await page.screenshot({ path: path.join(shots, `statement-${lang}-${width}.png`), fullPage: true });
      assert.deepEqual(await violations(page), [], 'the statement');
      const scroll = () => page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok((await scroll()) <= width, `the statement fits ${width} px: ${await scroll()}`);

      await sendEmpty(page);
      assert.ok((await page.title()).length > 0);
      assert.equal(await page.locator('.error-summary').count(), 1, 'the error is shown');
      assert.equal(await page.locator('#report-text[aria-invalid=true]').count(), 1);
      await page.screenshot({ path: path.join(shots, `statement-error-${lang}-${width}.png`), fullPage: true });
      assert.deepEqual(await violations(page), [], 'the form with an error');
      assert.ok((await scroll()) <= width, `the form with an error fits ${width} px: ${await scroll()}`);
      await page.context().close();
    });
  }
}

test('a report is written and sent with the keyboard only, and an admin reads it', async () => {
  const page = await newPage({ width: 320, height: 640 });
  await page.goto(`${server.base}/tillganglighet?lang=en`);
  const words = 'The Continue button is hidden behind the keyboard on my phone.';
  // Tab from the top until the description has the focus, type, then on to
  // the page field and the button.
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || '');
  let found = false;
  for (let n = 0; n < 60 && !found; n += 1) {
    await page.keyboard.press('Tab');
    found = (await focused()) === 'report-text';
  }
  assert.ok(found, 'Tab reaches the description');
  await page.keyboard.type(words);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'report-page', 'then the page field');
  await page.keyboard.type('/s/nexus');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BUTTON', 'then the button');
  await Promise.all([page.waitForURL('**/tillganglighet/tack**'), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/tillganglighet/tack');
  assert.equal(await page.locator('h1').textContent(), 'Thank you for your report');
  assert.ok(!(await page.content()).includes(words), 'nothing of the report is shown back');
  assert.deepEqual(await violations(page), [], 'the thank-you page');
  await page.context().close();

  const staff = await newPage({ width: 1280, height: 900 });
  await logIn(staff, server.base);
  await staff.goto(`${server.base}/staff/admin/tillganglighet`);
  assert.equal(await staff.locator('.feedback-text').first().textContent(), words);
  await staff.screenshot({ path: path.join(shots, 'staff-reports.png'), fullPage: true });
  assert.deepEqual(await violations(staff), [], 'the admins\' page of reports');
  await staff.context().close();
});
