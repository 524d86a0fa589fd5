// The staff results page with real numbers (500 synthetic responses spread
// over the closed months, by `enkat seed`), at a phone's 320 px and a
// desktop's 1280 px: the answers come first, no number or word is broken
// across lines, and a table wider than the screen scrolls in a box of its
// own that a keyboard can reach, never the page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';

import { ENKAT, launchBrowser, logIn, screenshotDir, startServer } from './harness.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let server;
let browser;
let shots;

before(async () => {
  server = await startServer();
  execFileSync(
    ENKAT,
    ['seed', 'nexus', '--responses', '500', '--seed', '16', '--database-url', server.databaseUrl,
      '--questionnaires', server.questionnaires],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  browser = await launchBrowser();
  shots = screenshotDir('results');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/// A results page as a logged-in member of staff sees it at `width` px.
async function resultsAt(width, query = '') {
  const context = await browser.newContext({ viewport: { width, height: 720 } });
  const page = await context.newPage();
  await logIn(page, server.base);
  await page.goto(`${server.base}/staff/q/nexus${query}`);
  return { context, page };
}

/// What the browser drew of the page's tables: the page's width, the cells
/// whose number is on more than one line, the words broken across lines,
/// and the scrolling boxes whose table is wider than they are.
async function measure(page) {
  return page.evaluate(() => {
    const lines = (range) => new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    const brokenNumbers = [];
    const brokenWords = [];
    for (const cell of document.querySelectorAll('table.figures th, table.figures td')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {
        // Text inside an SVG (a bar's title) is not drawn as text.
        acceptNode: (node) => (node.parentElement.closest('svg') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      const texts = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node);
      if (cell.classList.contains('num') && texts.length > 0) {
        const range = document.createRange();
        range.setStartBefore(texts[0]);
        range.setEndAfter(texts[texts.length - 1]);
        if (lines(range) > 1) brokenNumbers.push(cell.textContent.trim());
      }
      for (const node of texts) {
        for (const match of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          if (lines(range) > 1) brokenWords.push(match[0]);
        }
      }
    }
    const boxes = [...document.querySelectorAll('.table-scroll')];
    const scrolling = boxes
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => ({ label: box.getAttribute('aria-label'), tabindex: box.getAttribute('tabindex') }));
    const tables = document.querySelectorAll('table.figures').length;
    const unboxed = [...document.querySelectorAll('table.figures')].filter((table) => !table.closest('.table-scroll')).length;
    return { width: document.documentElement.scrollWidth, brokenNumbers, brokenWords, scrolling, tables, unboxed };
  });
}

for (const width of [320, 1280]) {
  for (const [name, query] of [['summary', ''], ['breakdown', '?by=age&target=respect']]) {
    test(`${width} px, ${name}: no number or word broken, wide tables scroll in their own box`, async () => {
      const { context, page } = await resultsAt(width, query);
      await page.screenshot({ path: path.join(shots, `results-${name}-${width}.png`), fullPage: true });
      const seen = await measure(page);
      assert.ok(seen.tables >= 5, `the page has its tables (${seen.tables})`);
      if (name === 'breakdown') assert.ok(await page.$('table.breakdown'), 'the breakdown is shown');
      assert.equal(seen.unboxed, 0, 'every table is in a box that scrolls on its own');
      assert.ok(seen.width <= width, `the page is ${seen.width} px wide at ${width} px`);
      assert.deepEqual(seen.brokenNumbers, [], 'numbers drawn on two lines');
      assert.deepEqual(seen.brokenWords, [], 'words broken across lines');
      for (const box of seen.scrolling) {
        assert.equal(box.tabindex, '0', `the scrolling table "${box.label}" can be reached by keyboard`);
        assert.ok(box.label, 'a scrolling table is named');
      }
      if (width === 1280) assert.deepEqual(seen.scrolling, [], 'at 1280 px no table needs to scroll');
      const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
      await context.close();
    });
  }
}

test('1280 px: the practical support people lacked most is on the first screen, before the filters', async () => {
  const { context, page } = await resultsAt(1280);
  const place = await page.evaluate(() => {
    const top = (selector) => document.querySelector(selector)?.getBoundingClientRect().top ?? null;
    return { lacked: top('table.overview-lacked'), filter: top('form.results-filter'), height: window.innerHeight };
  });
  assert.ok(place.lacked !== null, 'the most lacked supports are named (500 responses)');
  assert.ok(place.lacked < place.height, `the ranking starts ${place.lacked} px down, below a ${place.height} px screen`);
  assert.ok(place.filter > place.lacked, 'the filters come after the answers');
  const rows = await page.$$eval('table.overview-lacked tbody tr', (trs) => trs.map((tr) => tr.innerText));
  assert.equal(rows.length, 3, 'the three most lacked supports');
  for (const row of rows) assert.match(row, /\d+,\d %\s+\d+,\d–\d+,\d %/, `a share and its interval: ${row}`);
  const rate = await page.textContent('p.response-rate');
  assert.match(rate, /Svarsfrekvens: Antal erbjudna saknas\./, 'no rate without a number offered, and the page says so');
  await context.close();
});
