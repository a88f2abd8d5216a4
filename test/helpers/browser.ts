/**
 * Drives Debian's chromium (/usr/bin/chromium, installed by scripts/ci-setup.sh) with playwright-core,
 * headless, for the editor and dashboard tests. playwright-core ships no browser of its own, so a
 * missing chromium fails loudly instead of skipping: CI is expected to have installed it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './node-red-process';

export const chromiumPath = '/usr/bin/chromium';

/** Where screenshots and other test artefacts go (gitignored). */
export const artifactsDir: string = path.join(repoRoot, 'test-artifacts');

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} not found: the browser tests need Debian's chromium. Install it with scripts/ci-setup.sh (as root) ` +
        'or `apt-get install -y chromium`.',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs });
}

/** A page plus what went wrong in it: uncaught exceptions (pageerror) and console errors. */
export interface TrackedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions thrown in the page; tests expect none. */
  readonly pageErrors: string[];
  /** console.error lines (informative: failed resource loads also land here). */
  readonly consoleErrors: string[];
}

export interface PageOptions {
  /** Browser locale: drives navigator.language (the editor language) and Accept-Language (help). */
  readonly locale: 'ko-KR' | 'en-US' | string;
  /** Base URL for relative page.goto() paths. */
  readonly baseURL?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The browser's time zone (IANA id, e.g. 'UTC'); default: the machine's. */
  readonly timezoneId?: string;
}

export async function openPage(browser: Browser, options: PageOptions): Promise<TrackedPage> {
  const context = await browser.newContext({
    locale: options.locale,
    extraHTTPHeaders: { 'Accept-Language': options.locale },
    viewport: { width: 1400, height: 900, ...(options.viewport ?? {}) },
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    ...(options.timezoneId !== undefined ? { timezoneId: options.timezoneId } : {}),
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.stack ?? String(err)));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return { context, page, pageErrors, consoleErrors };
}

/** Saves a full-page PNG as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
