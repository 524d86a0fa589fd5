// A respondent's journey in the browser: the whole form by keyboard only,
// the error flow, reflow at 320 px and a focus never under the sticky exit
// bar, quick exit (Back with the back/forward cache on, Shift three times),
// and that nothing leaves the origin or stays behind in the browser.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  answerRequired, blockScript, launchBrowser, logIn, openForm, record, screenshotDir, sendStep, startServer,
} from './harness.js';

const SECRET = 'mitt hemliga svar';

let server;
let browser;
let bfcacheBrowser;
let shots;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  bfcacheBrowser = await launchBrowser({ bfcache: true });
  shots = screenshotDir('journey');
});

after(async () => {
  await browser?.close();
  await bfcacheBrowser?.close();
  await server?.stop();
});

/// Ticks a support on the stepped form's first page, which makes its
/// follow-up question required, then sends the page (by `send`, from the
/// send button) with that question unanswered and waits for the errors.
async function submitEmpty(page, send) {
  await page.check('#q-received-move');
  await page.focus('button.submit');
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), send()]);
  await page.waitForLoadState('load');
  await page.waitForFunction(() => document.title.startsWith('Fel:') || document.title.startsWith('Error:'));
}

/// What has the focus: enough to decide the next key.
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    const fieldset = element.closest('fieldset');
    const group = element.type === 'radio' ? document.querySelectorAll(`input[name="${element.name}"]`) : [];
    const bar = document.querySelector('.exit-bar').getBoundingClientRect();
    const box = element.getBoundingClientRect();
    return {
      tag: element.tagName.toLowerCase(),
      type: element.type || '',
      name: element.name || '',
      id: element.id,
      inBar: Boolean(element.closest('.exit-bar')),
      submit: element.matches('button[type=submit].submit'),
      required: Boolean(fieldset && fieldset.querySelector('.required')),
      answered: [...group].some((radio) => radio.checked),
      top: box.top,
      barBottom: bar.bottom,
    };
  });
}

/// Tabs through each page of the form from the top, answering every
/// required question (Space on the first radio group, the arrow key on the
/// next) and typing in the free-text box, then presses Enter on the button
/// that continues, until the thank-you page. Returns what had the focus.
async function answerByKeyboard(page, { checkObscured = false } = {}) {
  const seen = [];
  let arrow = false;
  for (let step = 0; step < 400; step += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    seen.push(now);
    if (checkObscured && !now.inBar && now.tag !== 'body' && now.tag !== 'main') {
      assert.ok(now.top >= now.barBottom - 0.5,
        `the focused ${now.tag}#${now.id} (top ${now.top}) is under the exit bar (bottom ${now.barBottom})`);
    }
    if (now.type === 'radio' && now.required && !now.answered) {
      await page.keyboard.press(arrow ? 'ArrowDown' : 'Space');
      arrow = !arrow;
    } else if (now.tag === 'textarea') {
      await page.keyboard.type(SECRET);
    } else if (now.submit) {
      await sendStep(page, () => page.keyboard.press('Enter'));
      if (new URL(page.url()).pathname.endsWith('/tack')) return seen;
    }
  }
  assert.fail('the thank-you page was never reached with Tab and Enter');
}

for (const script of ['blocked', 'running']) {
  test(`keyboard only, script ${script}: the whole form answered and stored`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    const before = server.responses().length;
    await page.goto(`${server.base}/s/nexus?lang=sv`);
    const seen = await answerByKeyboard(page);
    assert.equal(seen[0].inBar, true, 'the first Tab stop is in the exit bar');
    assert.match(await page.textContent('h1'), /Tack/);
    assert.ok(!(await page.content()).includes(SECRET), 'the thank-you page shows no answer');
    await page.screenshot({ path: path.join(shots, `keyboard-thanks-script-${script}.png`), fullPage: true });
    assert.equal(server.responses().length, before + 1, 'the response was stored');
    await context.close();
  });

  test(`error flow, script ${script}: title, summary, links to the fields`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    // The Nexus form requires nothing ("you can skip questions"); the
    // stepped test form has required questions.
    await openForm(page, server.base, '/s/steg?lang=sv');
    await submitEmpty(page, () => page.keyboard.press('Enter'));
    assert.match(await page.title(), /^Fel:/);
    const order = await page.evaluate(() => {
      const summary = document.querySelector('.error-summary');
      const h1 = document.querySelector('h1');
      return summary && Boolean(summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(order, 'the error summary comes before the h1');
    if (script === 'running') {
      assert.ok(await page.evaluate(() => document.activeElement.matches('.error-summary')),
        'the script moves the focus to the error summary');
    }
    await page.screenshot({ path: path.join(shots, `errors-script-${script}.png`) });
    const targets = await page.$$eval('.error-summary a', (links) => links.map((link) => link.hash.slice(1)));
    const required = await page.$$eval('.question .error-message', (messages) => messages.length);
    assert.ok(targets.length >= 1 && targets.length === required, `every question in error is in the summary (${targets.length})`);
    for (const target of targets) {
      await page.focus(`.error-summary a[href="#${target}"]`);
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => document.activeElement?.id === id, target, { timeout: 2000 })
        .catch(() => assert.fail(`the summary link to #${target} did not move the focus there`));
    }
    await context.close();
  });
}

test('320 px: no horizontal scroll, focus never under the exit bar', async () => {
  for (const script of ['blocked', 'running']) {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    for (const url of ['/s/nexus?lang=sv', '/s/nexus?lang=en', '/s/nexus/sakert', '/integritet']) {
      await page.goto(`${server.base}${url}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `${url} is ${width} px wide at 320 px`);
    }
    await openForm(page, server.base, '/s/nexus?lang=sv');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'the first page reflows');
    await openForm(page, server.base, '/s/steg?lang=sv');
    await submitEmpty(page, () => page.keyboard.press('Enter'));
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'the form with errors reflows');
    await page.goto(`${server.base}/s/nexus?lang=sv`);
    await answerByKeyboard(page, { checkObscured: true });
    await logIn(page, server.base);
    await page.goto(`${server.base}/staff/q/nexus`);
    await page.screenshot({ path: path.join(shots, `results-320-script-${script}.png`), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `the results page is ${width} px wide at 320 px`);
    await context.close();
  }
});

/// Leaves by the exit button, goes Back, and reports what the page shows.
async function exitAndBack(page, name) {
  await Promise.all([page.waitForURL(server.exitUrl), page.click('a.exit-button')]);
  await page.goBack({ waitUntil: 'commit' }).catch(() => {});
  await page.waitForTimeout(1000);
  const shown = await page.evaluate(() => ({
    text: document.body.innerText,
    values: [...document.querySelectorAll('textarea, input[type=text]')].map((field) => field.value),
    checked: document.querySelectorAll('input:checked').length,
  }));
  await page.screenshot({ path: path.join(shots, `after-exit-back-${name}.png`) });
  return shown;
}

/// The Nexus form's free-text page, reached by answering the pages before
/// it; the answers chosen on each of them, page by page.
async function commentPage(page) {
  await openForm(page, server.base, '/s/nexus?lang=sv');
  const chosen = [];
  for (let step = 0; step < 8 && !(await page.$('textarea')); step += 1) {
    // A support ticked in each list (its first option is never the
    // exclusive one), which brings its follow-up questions and pages.
    const lists = await page.$$eval('fieldset input[type=checkbox]', (inputs) => [...new Set(inputs.map((i) => i.name))]);
    for (const name of lists) await page.check(`input[name="${name}"] >> nth=0`);
    await answerRequired(page);
    chosen.push(await page.$$eval('input:checked', (inputs) => inputs.map((input) => `${input.name}=${input.value}`)));
    await sendStep(page, () => page.click('button.submit'));
  }
  await page.waitForSelector('textarea');
  return chosen;
}

// Chromium keeps even a `Cache-Control: no-store` page in the back/forward
// cache when it was fetched by a link (GET), and without the script nothing
// would empty it; so questions only ever come as the answer to a form post
// (the start page's button), which it never keeps. These tests hold that.
for (const script of ['blocked', 'running']) {
  test(`exit then Back with the back/forward cache, first page, script ${script}: no choice kept`, async () => {
    const context = await bfcacheBrowser.newContext();
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    await page.goto(`${server.base}/integritet`);
    await openForm(page, server.base, '/s/nexus?lang=sv');
    await page.check('input[name=reach] >> nth=0');
    await page.check('input[name=information] >> nth=1');
    const shown = await exitAndBack(page, `first-page-script-${script}`);
    assert.equal(shown.checked, 0, `Back keeps no choice (at ${page.url()})`);
    await context.close();
  });

  test(`exit then Back with the back/forward cache, a later page, script ${script}: no typed answer`, async () => {
    const context = await bfcacheBrowser.newContext();
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    await commentPage(page);
    await page.fill('textarea', SECRET);
    const shown = await exitAndBack(page, `later-page-script-${script}`);
    assert.ok(!shown.text.includes(SECRET), 'Back shows no typed text');
    assert.ok(!shown.values.includes(SECRET), `Back refills no field (at ${page.url()})`);
    await context.close();
  });
}

// The footer's "Säker användning" and "Integritet" on a form page are
// buttons that send the form: opened in the middle of the form, they come
// back with every answer, and leave no more trace than the form does.
for (const script of ['blocked', 'running']) {
  test(`the safety page from a later page and back keeps the answers before, script ${script}; exit and Back show nothing`, async () => {
    const context = await bfcacheBrowser.newContext();
    const page = await context.newPage();
    if (script === 'blocked') await blockScript(page);
    const chosen = await commentPage(page);
    assert.ok(chosen.length >= 3 && chosen.every((answers) => answers.length > 0), 'answers on the pages before');
    await page.fill('textarea', SECRET);
    await sendStep(page, () => page.click('.site-footer button[value=safety]'));
    assert.equal(await page.textContent('h1'), 'Säker användning');
    assert.ok(!(await page.textContent('body')).includes(SECRET), 'the safety page shows no answer');
    await sendStep(page, () => page.click('button[value=stay] >> nth=0'));
    assert.equal(await page.inputValue('textarea'), SECRET, 'back on the page with its text');
    for (const step of chosen.map((_, index) => index).reverse()) {
      await sendStep(page, () => page.click('button[value=back]'));
      const checked = await page.$$eval('input:checked', (inputs) => inputs.map((input) => `${input.name}=${input.value}`));
      assert.deepEqual(checked, chosen[step], `page ${step + 1}'s answers are still there`);
    }
    await sendStep(page, () => page.click('.site-footer button[value=privacy]'));
    assert.equal(await page.textContent('h1'), 'Integritet');
    const shown = await exitAndBack(page, `aside-script-${script}`);
    assert.equal(shown.checked, 0, `Back keeps no choice (at ${page.url()})`);
    assert.ok(!shown.text.includes(SECRET) && !shown.values.includes(SECRET), 'Back shows no typed text');
    await context.close();
  });
}

test('a language button on a form page shows the same page in Arabic with the answers kept', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await openForm(page, server.base, '/s/nexus?lang=sv');
  await answerRequired(page);
  const chosen = await page.$$eval('input:checked', (inputs) => inputs.map((input) => `${input.name}=${input.value}`));
  await sendStep(page, () => page.click('nav.languages button[value=ar]'));
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  const kept = await page.$$eval('input:checked', (inputs) => inputs.map((input) => `${input.name}=${input.value}`));
  assert.deepEqual(kept, chosen, 'the same answers, now in Arabic');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'the Arabic page reflows');
  await context.close();
});

test('Shift three times exits; Shift, A, Shift, Shift does not', async () => {
  const context = await bfcacheBrowser.newContext();
  const page = await context.newPage();
  await commentPage(page);
  await page.keyboard.press('Shift');
  await page.keyboard.press('a');
  await page.keyboard.press('Shift');
  await page.keyboard.press('Shift');
  await page.waitForTimeout(700);
  assert.equal(new URL(page.url()).pathname, '/s/nexus', 'Shift-A-Shift-Shift stays');
  assert.ok(await page.isVisible('textarea'), 'on the same page');
  await page.fill('textarea', SECRET);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await Promise.all([
    page.waitForURL(server.exitUrl),
    (async () => {
      for (let n = 0; n < 3; n += 1) await page.keyboard.press('Shift');
    })(),
  ]);
  await page.goBack({ waitUntil: 'commit' }).catch(() => {});
  await page.waitForTimeout(1000);
  assert.ok(!(await page.content()).includes(SECRET), 'after Shift×3 and Back no answer shows');
  await context.close();
});

test('a full run: no request elsewhere, no CSP violation, no cookie or storage', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = record(page);
  const violations = [];
  await page.exposeBinding('reportViolation', (_, text) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      window.reportViolation(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(`${server.base}/s/nexus?lang=sv`);
  await page.click('a[hreflang=en]');
  await sendStep(page, () => page.click('button.submit'));
  await openForm(page, server.base, '/s/steg?lang=en');
  await submitEmpty(page, () => page.click('button.submit'));
  await page.goto(`${server.base}/s/nexus/sakert?lang=en`);
  await page.goto(`${server.base}/integritet?lang=en`);
  await page.goto(`${server.base}/s/nexus?lang=sv`);
  await answerByKeyboard(page);
  await page.goto(`${server.base}/s/nexus-kort`);
  await page.goto(`${server.base}/s/nexus-kort?kod=${server.newCode()}`);
  await sendStep(page, () => page.click('button.submit'));
  await page.goto(`${server.base}/s/winter`);
  await page.goto(`${server.base}/s/finns-inte`);
  const elsewhere = seen.requests.filter((url) => !url.startsWith(`${server.base}/`));
  assert.deepEqual(elsewhere, [], 'no request leaves the origin');
  assert.deepEqual(violations, [], 'no CSP violation');
  const csp = seen.console.filter((line) => /Content Security Policy|Refused to/i.test(line));
  assert.deepEqual(csp, [], 'no CSP message in the console');
  assert.deepEqual(await context.cookies(server.base), [], 'no cookie');
  const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
  assert.deepEqual(storage, { local: 0, session: 0 }, 'nothing in localStorage or sessionStorage');
  await context.close();
});
