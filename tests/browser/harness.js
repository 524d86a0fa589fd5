// The browser tests' harness: builds enkat, starts the real server on a
// temporary SQLite database, a local "neutral site" for the exit links (so no
// request leaves the machine), an admin account, and Debian's Chromium.
// Never downloads a browser.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// `ENKAT_BIN`: an enkat binary already built (e.g. by `cargo test`); then
// the harness does not run `cargo build` itself.
export const ENKAT = process.env.ENKAT_BIN || path.join(REPO, 'target/debug/enkat');
export const CHROMIUM = process.env.ENKAT_CHROMIUM || '/usr/bin/chromium';
export const STAFF_NAME = 'testadmin';
export const STAFF_PASSWORD = 'ett långt lösenord för webbläsartesterna';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let built = false;
function build() {
  if (!built && !process.env.ENKAT_BIN) {
    execFileSync('cargo', ['build', '--quiet'], { cwd: REPO, stdio: 'inherit' });
    built = true;
  }
}

/// The folder of screenshots, made once per test file and printed.
export function screenshotDir(name) {
  const dir = mkdtempSync(path.join(tmpdir(), `enkat-screenshots-${name}-`));
  console.log(`# screenshots: ${dir}`);
  return dir;
}

/// A local stand-in for the neutral exit site (a weather page).
async function startExitSite() {
  const port = await freePort();
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end('<!doctype html><html lang="sv"><title>Väder</title><h1>Väder</h1><p>Sol.</p></html>');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/// Starts enkat with the shipped questionnaires plus the tests' coded
/// (`nexus-kort`), not-yet-open (`winter`), paged (`steg`) and
/// results-publishing (`stod`) fixtures, and an admin.
export async function startServer() {
  build();
  const scratch = mkdtempSync(path.join(tmpdir(), 'enkat-browser-'));
  const questionnaires = path.join(scratch, 'questionnaires');
  mkdirSync(questionnaires);
  copyFileSync(path.join(REPO, 'questionnaires/nexus.toml'), path.join(questionnaires, 'nexus.toml'));
  copyFileSync(path.join(REPO, 'tests/fixtures/coded/nexus-kort.toml'), path.join(questionnaires, 'nexus-kort.toml'));
  copyFileSync(path.join(REPO, 'tests/fixtures/reach/winter.toml'), path.join(questionnaires, 'winter.toml'));
  copyFileSync(path.join(REPO, 'tests/fixtures/pages/steg.toml'), path.join(questionnaires, 'steg.toml'));
  copyFileSync(path.join(REPO, 'tests/fixtures/published/stod.toml'), path.join(questionnaires, 'stod.toml'));
  const databaseFile = path.join(scratch, 'e.db');
  const databaseUrl = `sqlite://${databaseFile}`;
  const exitSite = await startExitSite();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    ENKAT,
    [
      'serve',
      '--listen', `127.0.0.1:${port}`,
      '--database-url', databaseUrl,
      '--cookie-secure', 'false',
      '--questionnaires', questionnaires,
      '--exit-url', exitSite.url,
      '--public-url', base,
    ],
    { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`enkat serve exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('enkat serve did not answer /readyz in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  execFileSync(ENKAT, ['staff', 'add', STAFF_NAME, '--admin', '--database-url', databaseUrl], {
    input: `${STAFF_PASSWORD}\n`,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const spareCodes = [];
  return {
    base,
    exitUrl: exitSite.url,
    databaseUrl,
    scratch,
    questionnaires,
    /// A fresh one-time code for `nexus-kort`, from a batch of 20 (the
    /// smallest it takes: 4 × its min_report_n) made when the last runs out.
    newCode() {
      if (spareCodes.length === 0) {
        const csv = execFileSync(
          ENKAT,
          ['codes', 'create', 'nexus-kort', '--count', '20', '--label', 'browser', '--public-url', base,
            '--questionnaires', questionnaires, '--database-url', databaseUrl],
          { encoding: 'utf8' },
        );
        spareCodes.push(...csv.trim().split('\n').slice(1).map((line) => line.split(',')[0]));
      }
      return spareCodes.shift();
    },
    /// The ids of the stored responses to a questionnaire, read from the
    /// database with `sqlite3` (the export has only periods that have
    /// closed, never today's responses). A response is stored once it is
    /// in either table: acknowledged ones wait up to 2 s in `intake`
    /// before they move into `response` (migrations/sqlite/0019).
    responses(id = 'nexus') {
      if (!/^[a-z0-9_-]+$/.test(id)) throw new Error(`not a questionnaire id: ${id}`);
      const query = `SELECT hex(id) FROM response WHERE questionnaire_id = '${id}'
        UNION ALL SELECT hex(id) FROM intake WHERE questionnaire_id = '${id}'`;
      const ids = execFileSync('sqlite3', [databaseFile, query], { encoding: 'utf8' });
      return ids.split('\n').filter((line) => line.trim() !== '');
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      await exitSite.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/// Debian's Chromium. `bfcache: true` keeps the back/forward cache on,
/// which Playwright turns off by default.
export async function launchBrowser({ bfcache = false } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: bfcache ? ['--disable-back-forward-cache'] : [],
  });
}

/// Blocks the app's script, the way a browser without JavaScript would see
/// the pages (axe itself needs JavaScript, so it is not turned off).
export async function blockScript(page) {
  await page.route('**/assets/enkat.js', (route) => route.abort());
}

/// Every request a page makes and every console message, for the privacy checks.
export function record(page) {
  const requests = [];
  const console = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
  return { requests, console };
}

export async function logIn(page, base) {
  await page.goto(`${base}/staff/login`);
  await page.fill('#name', STAFF_NAME);
  await page.fill('#password', STAFF_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.click('button.submit')]);
  if (new URL(page.url()).pathname === '/staff/login') throw new Error('the staff login failed');
}

/// Opens a questionnaire at `url` (a path) and presses its start page's
/// button, which posts to the first page of questions: no page with
/// questions is ever fetched by a link.
export async function openForm(page, base, url) {
  await page.goto(`${base}${url}`);
  await sendStep(page, () => page.click('form.questionnaire button.submit'));
}

/// Answers every required question of the Nexus form (first option) and
/// sends it, page by page, by mouse: for the pages that need responses to exist.
export async function answerNexus(page, base, lang = 'sv') {
  await openForm(page, base, `/s/nexus?lang=${lang}`);
  for (let step = 0; step < 10; step += 1) {
    await answerRequired(page);
    await sendStep(page, () => page.click('button.submit'));
    if (new URL(page.url()).pathname.endsWith('/tack')) return;
  }
  throw new Error('the Nexus form never reached the thank-you page');
}

/// Checks the first option of every single-choice question on the page
/// shown (the Nexus form requires none: "you can skip questions"), so that
/// a walk through the form leaves answers to find again.
export async function answerRequired(page) {
  const names = await page.$$eval('fieldset input[type=radio]', (inputs) => [...new Set(inputs.map((i) => i.name))]);
  for (const name of names) {
    if (await page.isVisible(`input[name="${name}"] >> nth=0`)) await page.check(`input[name="${name}"] >> nth=0`);
  }
}

/// Sends a form step (by `press`) and waits for what comes back: the next
/// page, the same page with errors, or (after a redirect) the thank-you page.
export async function sendStep(page, press) {
  // One new document loads either way (a redirect is followed before it).
  await Promise.all([page.waitForEvent('load'), press()]);
}
