// Paper entry (issue 18): a member of staff types in a whole paper form
// with the keyboard only (Tab between questions, the number keys to pick an
// option, Space to tick a checkbox, Enter to save), the page is axe-clean
// empty, with a contradiction to resolve and after a stored form, and the
// focus is back at the first question for the next form.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';

import { launchBrowser, logIn, startServer } from './harness.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/// The focused element's name and type.
function focused(page) {
  return page.evaluate(() => ({
    name: document.activeElement?.getAttribute('name') ?? '',
    type: document.activeElement?.getAttribute('type') ?? document.activeElement?.tagName.toLowerCase(),
    id: document.activeElement?.id ?? '',
  }));
}

/// Presses Tab until an element named `name` has the focus.
async function tabTo(page, name) {
  for (let presses = 0; presses < 60; presses += 1) {
    if ((await focused(page)).name === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}`);
}

/// The values checked for a question.
function checked(page, name) {
  return page.$$eval(`input[name="${name}"]:checked`, (inputs) => inputs.map((input) => input.value));
}

async function axe(page, what) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `axe on ${what}`);
}

/// The channels of the stored responses to nexus, those still in the
/// intake (their first 2 s, migrations/sqlite/0019) among them.
function channels() {
  const file = server.databaseUrl.replace(/^sqlite:\/\//, '');
  const query = `SELECT channel FROM response WHERE questionnaire_id = 'nexus'
    UNION ALL SELECT channel FROM intake WHERE questionnaire_id = 'nexus'`;
  const rows = execFileSync('sqlite3', [file, query], { encoding: 'utf8' });
  return rows.split('\n').filter((line) => line.trim() !== '');
}

test('a paper form is typed in with the keyboard only, and the next one starts at the first question', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logIn(page, server.base);
  await page.goto(`${server.base}/staff/q/nexus/paper`);
  await axe(page, 'the empty entry form');

  await tabTo(page, 'reach');
  await page.keyboard.press('2');
  const reach = await page.$$eval('input[name="reach"]', (inputs) => inputs.map((input) => input.value));
  assert.deepEqual(await checked(page, 'reach'), [reach[1]], 'the number key 2 picks the second option');
  assert.equal((await focused(page)).id, `q-reach-${reach[1]}`, 'and the focus follows it');

  // Tab leaves the radio group for the next question.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).name, 'information', 'Tab moves to the next question');
  await page.keyboard.press('1');
  const information = await page.$$eval('input[name="information"]', (inputs) => inputs.map((input) => input.value));
  assert.deepEqual(await checked(page, 'information'), [information[0]]);

  // A checkbox question: the number key moves to the option, Space ticks it.
  await tabTo(page, 'received_support');
  await page.keyboard.press('2');
  assert.deepEqual(await checked(page, 'received_support'), [], 'a number key never ticks a checkbox by itself');
  await page.keyboard.press('Space');
  const received = await page.$$eval('input[name="received_support"]', (inputs) => inputs.map((input) => input.value));
  assert.deepEqual(await checked(page, 'received_support'), [received[1]], 'Space ticks the option the key moved to');

  // On to the button, and Enter saves.
  for (let presses = 0; presses < 200; presses += 1) {
    const now = await page.evaluate(() => document.activeElement?.textContent?.trim());
    if (now === 'Spara formuläret') break;
    await page.keyboard.press('Tab');
  }
  await Promise.all([page.waitForURL(/sparat=1/), page.keyboard.press('Enter')]);
  assert.equal(
    (await page.textContent('.paper-saved')).trim(),
    'Formuläret är sparat (1 inmatade i dag).',
    'the calm confirmation',
  );
  assert.equal((await focused(page)).name, 'reach', 'the focus is at the first question for the next form');
  assert.deepEqual(await checked(page, 'reach'), [], 'the next form is empty');
  assert.deepEqual(channels(), ['paper'], 'stored once, as paper');
  await axe(page, 'the entry form after a stored form');

  // A contradiction is shown to resolve, with a summary linking to it.
  await page.check(`#q-received_support-${received[0]}`);
  await page.check('input[name="received_support"][value="none"]');
  await Promise.all([page.waitForLoadState('load'), page.click('button.submit')]);
  assert.match(await page.textContent('.error-summary'), /ska stå ensamt/);
  await axe(page, 'the entry form with a contradiction');
  assert.deepEqual(channels(), ['paper'], 'nothing more stored');
  await context.close();
});
