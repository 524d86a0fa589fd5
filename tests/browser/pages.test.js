// A questionnaire in pages with conditions (tests/fixtures/pages/steg.toml)
// in the browser: the whole walk without JavaScript, by form posts, with
// Back keeping the answers; with the script, a follow-up question on the
// same page that appears and disappears as the person answers, announced
// politely; and axe on every step.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';

import { blockScript, launchBrowser, openForm, screenshotDir, startServer } from './harness.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let server;
let browser;
let shots;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  shots = screenshotDir('pages');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function axe(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `${name}: axe violations`);
}

/// Presses a button and waits for the page it leads to.
async function press(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.waitForURL('**'), page.click(selector)]);
  await page.waitForLoadState('load');
}

const progress = (page) => page.textContent('.progress');

for (const script of ['blocked', 'running']) {
  test(`every page in turn, script ${script}: Back keeps the answers, the move page follows the answer, stored once at the end`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    const before = server.responses('steg').length;
    await openForm(page, server.base, '/s/steg?lang=sv');
    assert.equal(await progress(page), 'Sida 1 av 3');
    if (script === 'blocked') {
      assert.ok(await page.isVisible('#question-helped'), 'without the script the follow-up is there to answer');
      assert.ok(await page.isVisible('#question-helped .condition-note'), 'with a note saying when');
    } else {
      assert.ok(!(await page.isVisible('#question-helped')), 'the script hides the follow-up until support is ticked');
    }
    await axe(page, `steg-1-script-${script}`);
    await page.check('#q-received-move');
    await page.check('#q-helped-yes');
    await press(page, 'button[value=next]');
    assert.equal(await progress(page), 'Sida 2 av 4');
    await axe(page, `steg-2-script-${script}`);
    await page.check('#q-missing-other');
    await page.fill('#q-missing-other-text', 'Juridik');
    await press(page, 'button[value=back]');
    assert.equal(await progress(page), 'Sida 1 av 4');
    assert.ok(await page.isChecked('#q-received-move'), 'Back keeps the answers of the page');
    await press(page, 'button[value=next]');
    assert.equal(await page.inputValue('#q-missing-other-text'), 'Juridik', 'and of the page left');
    await press(page, 'button[value=next]');
    assert.equal(await page.textContent('h2.page-title'), 'Flytten');
    await press(page, 'button[value=next]');
    assert.match(await page.title(), /^Fel:/, 'the required question on the move page');
    await axe(page, `steg-3-errors-script-${script}`);
    await page.check('#q-move_rating-well');
    await press(page, 'button[value=next]');
    await page.fill('#q-comment', 'Tack.');
    await press(page, 'button[value=next]');
    assert.equal(await page.textContent('h2.page-title'), 'Kontrollera dina svar');
    await axe(page, `steg-check-script-${script}`);
    assert.equal(server.responses('steg').length, before, 'nothing is stored before the final send');
    await Promise.all([page.waitForURL('**/tack**'), page.click('button[value=next]')]);
    assert.equal(server.responses('steg').length, before + 1, 'the response is stored once');
    await context.close();
  });
}

test('script running: the follow-up appears and disappears as the person answers, announced politely', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openForm(page, server.base, '/s/steg?lang=sv');
  assert.equal(await page.getAttribute('#form-status', 'aria-live'), 'polite');
  assert.ok(!(await page.isVisible('#question-helped')));
  assert.ok(!(await page.isVisible('.condition-note')), 'the note is for those without the script');
  await page.check('#q-received-belongings');
  assert.ok(await page.isVisible('#question-helped'));
  assert.equal(await page.textContent('#form-status'), 'En fråga till visas: Hjälpte stödet dig?');
  await page.uncheck('#q-received-belongings');
  await page.check('#q-received-none');
  assert.ok(!(await page.isVisible('#question-helped')), '"none of these" hides the follow-up');
  assert.match(await page.textContent('#form-status'), /har tagits bort: Hjälpte stödet dig\?$/);
  // "None of these" and no follow-up: the next page comes without an error.
  await press(page, 'button[value=next]');
  assert.equal(await page.textContent('h2.page-title'), 'Det som saknades');
  await context.close();
});
