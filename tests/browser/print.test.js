// The paper form (issue 18) in a real browser: `/staff/q/nexus/print`
// printed to PDF on A4, in Swedish and in Arabic, is a few pages with every
// question (and in Swedish every option) of the form, nothing to click,
// and the boxes drawn; the Arabic form mirrored. The suite in Rust
// (tests/suite/print.rs) checks the HTML against the questionnaire model;
// this checks that what the HTML says survives printing.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';

import { ENKAT, launchBrowser, logIn, screenshotDir, startServer } from './harness.js';

let server;
let browser;
let shots;
let questions;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  shots = screenshotDir('print');
  // How many questions Nexus has, from the model rather than the page.
  const checked = execFileSync(ENKAT, ['check', path.join(server.questionnaires, 'nexus.toml')], { encoding: 'utf8' });
  questions = Number(/nexus: (\d+) questions/.exec(checked)[1]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/// axe's violations on the page, described; none is the goal. The paper
/// form is plain text and lists (no form, no link, no image but boxes), so
/// axe has fewer checks to run than on the other pages (axe.test.js asks
/// more than 10 there): 10 run here, and fewer means it did not run.
async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  assert.ok(results.passes.length >= 10, `axe ran its checks (${results.passes.length})`);
  return results.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
}

/// Text as compared: compatibility forms folded (pdftotext may give
/// Arabic letters as their presentation forms), tatweel and the marks that
/// isolate directions dropped, whitespace folded to single spaces.
function normalised(text) {
  return text
    .normalize('NFKC')
    .replace(/[\u0640\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/// Arabic text reduced to what survives pdftotext (see its use): no
/// diacritics, direction marks, punctuation or spaces (pdftotext splits a
/// word before a final alef: عمّا comes out as عّم ا), one alef, lam-alef one way.
function arabicSkeleton(text) {
  return normalised(text.replace(/[\u202a-\u202e]/g, ''))
    .replace(/[\u064b-\u065f\u0670]/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/\u0644\u0627/g, '\u0627\u0644')
    .replace(/[\u060c\u061f\u061b.,:;?!«»()"\s]/g, '');
}

/// Prints the page to an A4 PDF; its page count and its text.
function printed(pdf) {
  const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
  const text = normalised(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }));
  return { pages, text };
}

async function printPage(lang) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server.base);
  // Reached as staff reach it: the link on the questionnaire files page.
  await page.goto(`${server.base}/staff/admin/questionnaires`);
  const link = page.locator(`.print-links a[href="/staff/q/nexus/print?lang=${lang}"]`);
  assert.equal(await link.count(), 1, `the files page links to the ${lang} paper form`);
  await Promise.all([page.waitForLoadState('load'), link.click()]);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  const texts = await page.locator('.question-text').allTextContents();
  assert.equal(texts.length, questions, `every question of the model is on the page (${lang})`);
  await page.screenshot({ path: path.join(shots, `print-${lang}.png`), fullPage: true });
  assert.equal(await axeViolations(page), '', `axe found violations on the ${lang} paper form`);
  const pdf = path.join(shots, `print-${lang}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true });
  return { context, page, texts, ...printed(pdf) };
}

/// What must never be on paper: the screen's controls and staff words.
const UNWANTED = ['Logga ut', 'Inloggad som', 'testadmin', 'Lämna sidan snabbt', 'Skicka', 'Fortsätt', 'Tillbaka'];

test('the Swedish paper form prints on a few A4 pages with every question and option', async () => {
  const { context, page, texts, pages, text } = await printPage('sv');
  assert.ok(pages >= 2 && pages <= 8, `the form prints on 2 to 8 A4 pages, not ${pages}`);
  for (const question of texts) {
    assert.ok(text.includes(normalised(question)), `the PDF has the question ${JSON.stringify(question)}`);
  }
  const options = await page.locator('.paper-option-text').allTextContents();
  assert.ok(options.length > 80, `every option, not ${options.length}`);
  for (const option of options) {
    assert.ok(text.includes(normalised(option)), `the PDF has the option ${JSON.stringify(option)}`);
  }
  for (const wanted of ['Kryssa inte i något annat om du kryssar här.', 'Du kan kryssa i flera svar.',
    'Annat, nämligen:', 'Välj bland det du kryssade i fråga']) {
    assert.ok(text.includes(wanted), `the PDF says ${JSON.stringify(wanted)}`);
  }
  for (const unwanted of UNWANTED) {
    assert.ok(!text.includes(unwanted), `the PDF has no ${JSON.stringify(unwanted)}`);
  }
  // No form controls at all, and a box drawn (a bordered square) per option.
  assert.equal(await page.locator('form, input, button, select, textarea, nav').count(), 0);
  const box = await page.locator('.paper-box').first().boundingBox();
  assert.ok(box.width > 10 && Math.abs(box.width - box.height) < 1, `a square box: ${JSON.stringify(box)}`);
  assert.equal(await page.locator('.paper-box').count(), options.length);
  await context.close();
});

test('the Arabic paper form is mirrored and prints every question', async () => {
  const { context, page, texts, pages, text } = await printPage('ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.ok(pages >= 2 && pages <= 8, `the form prints on 2 to 8 A4 pages, not ${pages}`);
  // Mirrored: a question's number is at its right, a box to the right of its option's text.
  const number = await page.locator('.paper-number').first().boundingBox();
  const question = await page.locator('.question-text').first().boundingBox();
  assert.ok(number.x > question.x, 'the number is right of the question text');
  const box = await page.locator('.paper-option').first().locator('.paper-box').boundingBox();
  const label = await page.locator('.paper-option').first().locator('.paper-option-text').boundingBox();
  assert.ok(box.x > label.x, 'the box is right of its option');
  // pdftotext does not give Chromium's Arabic back exactly as written: it
  // adds direction embeddings around numbers and Latin words, puts a
  // shadda before the letter's other marks, and writes the lam-alef
  // ligature alef first (الأمان comes out as األمان). So each question is
  // compared as a skeleton (`arabicSkeleton`): the letters in order, marks,
  // punctuation, spaces and alef forms folded, the same on both sides. Every
  // question must be found whole in the skeleton of the PDF's text.
  const pdfSkeleton = arabicSkeleton(text);
  const missing = texts.filter((question) => !pdfSkeleton.includes(arabicSkeleton(question)));
  assert.deepEqual(missing, [], 'every Arabic question is in the PDF');
  for (const unwanted of UNWANTED) {
    assert.ok(!text.includes(unwanted), `the PDF has no ${JSON.stringify(unwanted)}`);
  }
  assert.equal(await page.locator('form, input, button, select, textarea, nav').count(), 0);
  await context.close();
});
