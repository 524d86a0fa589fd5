// The respondent's path through the Nexus form, measured at 360 × 640 px
// (issue 17): each page's height in screens, the taps a typical answer
// takes, and the errors met when page 1 is sent empty.
//
// `node measure.js` (after `cargo build`, or with ENKAT_BIN) prints the
// figures as JSON; `path.test.js` measures the same way and checks them.

import { launchBrowser, openForm, sendStep, startServer } from './harness.js';

export const WIDTH = 360;
export const SCREEN = 640;

/// The typical path: the first option of every question with radio
/// buttons, the first two of every question with checkboxes, nothing typed;
/// a question hidden by the script (its condition false) is skipped.
/// Returns, for each page, its title, its height in screens (as answered, with
/// the questions its answers bring up) and the taps it took, including its button.
export async function typicalPath(page, base, lang = 'sv') {
  await openForm(page, base, `/s/nexus?lang=${lang}`);
  const pages = [];
  for (let step = 0; step < 12; step += 1) {
    const title = await page.$eval('h2.page-title', (h2) => h2.textContent.trim()).catch(() => '');
    let taps = 0;
    const fieldsets = await page.$$('form.questionnaire fieldset');
    for (const fieldset of fieldsets) {
      if (!(await fieldset.isVisible())) continue;
      const radios = await fieldset.$$('input[type=radio]');
      const boxes = await fieldset.$$('input[type=checkbox]');
      if (radios.length > 0) {
        await radios[0].check();
        taps += 1;
      } else {
        for (const box of boxes.slice(0, 2)) {
          await box.check();
          taps += 1;
        }
      }
    }
    taps += 1;
    // Measured answered: the questions the answers bring up are part of the page.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    pages.push({ title, screens: Math.round((height / SCREEN) * 10) / 10, taps });
    await sendStep(page, () => page.click('form.questionnaire button.submit'));
    if (new URL(page.url()).pathname.endsWith('/tack')) {
      // The start page's "Börja" is one tap more.
      return { pages, taps: 1 + pages.reduce((sum, p) => sum + p.taps, 0) };
    }
  }
  throw new Error('the typical path never reached the thank-you page');
}

/// Page 1 sent empty: the number of errors in the summary (0 if it goes on)
/// and the height of what comes back, in screens.
export async function emptyFirstPage(page, base, lang = 'sv') {
  await openForm(page, base, `/s/nexus?lang=${lang}`);
  await sendStep(page, () => page.click('form.questionnaire button.submit'));
  const errors = await page.$$eval('.error-summary li', (items) => items.length);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  return { errors, screens: Math.round((height / SCREEN) * 10) / 10 };
}

/// A page of `browser` at the measured size.
export async function smallPage(browser) {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: SCREEN } });
  return { context, page: await context.newPage() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const result = {};
    for (const lang of ['sv', 'ar']) {
      let { context, page } = await smallPage(browser);
      result[lang] = { path: await typicalPath(page, server.base, lang) };
      await context.close();
      ({ context, page } = await smallPage(browser));
      result[lang].empty = await emptyFirstPage(page, server.base, lang);
      await context.close();
    }
    console.log(`# measured: ${JSON.stringify(result)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}
