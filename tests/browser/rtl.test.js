// Arabic, right to left, in the browser: the page's direction, the layout
// mirrored except for the exit button, which stays at the right edge (the
// inline start of a right-to-left page), no sideways scrolling at 320 px,
// and a full-page screenshot to look at.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser, openForm, screenshotDir, startServer } from './harness.js';

let server;
let browser;
let shots;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  shots = screenshotDir('rtl');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/// Where the page's parts are, as the browser laid them out.
function layout(page) {
  return page.evaluate(() => {
    const box = (selector) => document.querySelector(selector).getBoundingClientRect();
    const exit = box('.exit-button');
    const bar = box('.exit-bar');
    const form = document.querySelector('form[method=post]');
    const firstChoice = document.querySelector('.choice input').getBoundingClientRect();
    const firstLabel = document.querySelector('.choice label').getBoundingClientRect();
    return {
      dir: document.documentElement.dir,
      lang: document.documentElement.lang,
      formDirection: getComputedStyle(form).direction,
      exitLeft: exit.left,
      exitRight: exit.right,
      barLeft: bar.left,
      barRight: bar.right,
      barPaddingStart: parseFloat(getComputedStyle(document.querySelector('.exit-bar')).paddingInlineStart),
      choiceLeft: firstChoice.left,
      labelLeft: firstLabel.left,
      viewport: document.documentElement.clientWidth,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

test('the Arabic form runs right to left, with the exit button at the right edge', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  await openForm(page, server.base, '/s/nexus?lang=ar');
  await page.screenshot({ path: path.join(shots, 'form-ar.png'), fullPage: true });
  const found = await layout(page);
  assert.equal(found.dir, 'rtl', 'the document is right to left');
  assert.equal(found.lang, 'ar');
  assert.equal(found.formDirection, 'rtl', 'the form inherits the direction');
  // At the inline start of a right-to-left bar: its right edge, less the padding.
  assert.ok(
    Math.abs(found.barRight - found.barPaddingStart - found.exitRight) <= 1,
    `the exit button sits at the right edge: ${JSON.stringify(found)}`,
  );
  assert.ok(found.exitLeft > found.viewport / 2, 'in the right half');
  assert.ok(found.choiceLeft > found.labelLeft, 'a radio button stands to the right of its label, as Arabic reads');
  await page.close();
});

test('the Swedish form keeps its exit button at the right edge and its radio buttons at the left', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  await openForm(page, server.base, '/s/nexus?lang=sv');
  const found = await layout(page);
  assert.equal(found.dir, 'ltr');
  assert.ok(found.exitLeft > found.viewport / 2, `the exit at the right: ${JSON.stringify(found)}`);
  assert.ok(found.choiceLeft < found.labelLeft, 'a radio button to the left of its label');
  await page.close();
});

test('the Arabic pages need no sideways scrolling at 320 px', async () => {
  const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
  for (const uri of ['/s/nexus?lang=ar', '/s/nexus/sakert?lang=ar', '/integritet?lang=ar', '/s/nexus/tack?lang=ar']) {
    await page.goto(`${server.base}${uri}`);
    const found = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(found <= 320, `${uri}: scrollWidth ${found}`);
  }
  await openForm(page, server.base, '/s/nexus?lang=ar');
  const form = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(form <= 320, `the Arabic form's first page: scrollWidth ${form}`);
  await page.screenshot({ path: path.join(shots, 'thanks-ar-320.png'), fullPage: true });
  await page.close();
});

/// The characters of each phone number on the page as drawn, left to right:
/// the order a person reads the digits in, whatever the markup says.
function drawnNumbers(page) {
  return page.$$eval('a.phone', (links) => links.map((link) => {
    const text = link.firstChild;
    const glyphs = [];
    for (let i = 0; i < text.data.length; i += 1) {
      if (text.data[i] === ' ') continue;
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const box = range.getBoundingClientRect();
      glyphs.push({ char: text.data[i], x: box.left, y: Math.round(box.top) });
    }
    glyphs.sort((a, b) => a.y - b.y || a.x - b.x);
    return { written: text.data.replace(/ /g, ''), drawn: glyphs.map((glyph) => glyph.char).join(''), href: link.href };
  }));
}

test('phone numbers on Arabic pages are drawn in their own order, and one tap calls them', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  for (const uri of ['/s/nexus/sakert?lang=ar', '/s/nexus/tack?lang=ar']) {
    await page.goto(`${server.base}${uri}`);
    const numbers = await drawnNumbers(page);
    assert.ok(numbers.some((number) => number.written === '020-505050'), `${uri} names Kvinnofridslinjen: ${JSON.stringify(numbers)}`);
    for (const number of numbers) {
      // "020-50 50 50" drawn as "50 50 020-50" is what isolation prevents.
      assert.equal(number.drawn, number.written, `${uri}: drawn left to right as written`);
      assert.equal(number.href, `tel:${number.written.replace(/-/g, '')}`);
    }
  }
  await page.close();
});
