import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
// scripts/update-readme.js is plain JS shipped with the repo; it renders the generated README sections.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render } = require(join(root, 'scripts', 'update-readme.js')) as { render(text: string): string };

describe('README', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('has its generated tables (fields per TR, OPSP codes) up to date with the protocol tables', () => {
    assert.equal(render(readme), readme, 'README.md is stale: run `node scripts/update-readme.js`');
  });

  it('states the two commands: run the demo and run the tests', () => {
    assert.match(readme, /^npm start\b/m);
    assert.match(readme, /^npm test\b/m);
  });

  it('lists every field of every market-data TR and every OPSP code', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kis = require(join(root, 'dist', 'lib', 'protocol')) as typeof import('../../lib/protocol');
    for (const id of ['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0', 'H0STASP0', 'H0NXASP0', 'H0UNASP0'] as const) {
      for (const field of kis.TR_TABLES[id].fields) assert.ok(readme.includes('`' + field.name + '`'), `${id} ${field.name} missing`);
    }
    for (const code of kis.OPSP_CODES) assert.ok(readme.includes('`' + code.code + '`'), `${code.code} missing`);
  });
});

/**
 * npmjs and the Flow Library render the README outside the repository: a relative link or image there
 * points nowhere (and docs/ is not in the tarball). Every link and image must be absolute or an anchor,
 * and the ones into this repository must name a file that exists.
 */
describe('README renders outside the repository (npmjs, Flow Library)', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(join(root, 'package.json')) as { repository: { url: string } };
  const repoWeb = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  const repoPath = new URL(repoWeb).pathname.replace(/^\//, '');
  const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<img[^>]+src="([^"]+)"|<a[^>]+href="([^"]+)"/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );

  it('has only absolute links and images (or #anchors)', () => {
    assert.ok(targets.length > 0);
    const relative = targets.filter((t) => !/^(https?:\/\/|#|mailto:)/.test(t));
    assert.deepEqual(relative, [], 'relative links break on npmjs and in the Flow Library');
  });

  it('links into this repository name files that exist (blob/main/<path>, raw main/<path>)', () => {
    const own = targets.filter((t) => t.includes(repoPath));
    assert.ok(own.some((t) => /\.png$/.test(t)), 'the dashboard image should come from the repository');
    for (const target of own) {
      const m = new RegExp(`(?:github\\.com/${repoPath}/(?:blob|tree)/main/|raw\\.githubusercontent\\.com/${repoPath}/main/)(.+)$`).exec(target);
      if (m === null) continue; // the repository itself, its issues, …
      const file = decodeURIComponent((m[1] ?? '').replace(/#.*$/, ''));
      assert.ok(existsSync(join(root, file)), `${target}: ${file} is not in the repository`);
    }
  });

  it('anchors name headings that exist', () => {
    const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const headings = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));
    for (const anchor of targets.filter((t) => t.startsWith('#'))) {
      assert.ok(headings.has(decodeURIComponent(anchor.slice(1))), `${anchor} names no heading`);
    }
  });
});

/** Badge, help and README say the same thing (the badge texts are computed, not copied). */
describe('README, help and status badges agree', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { statusFor } = require(join(root, 'dist', 'nodes', 'status.js')) as typeof import('../../nodes/status');
  const catalog = JSON.parse(readFileSync(join(root, 'nodes', 'locales', 'en-US', 'kis-config.json'), 'utf8')) as Record<string, unknown>;
  const t = (key: string, params: Record<string, string | number> = {}): string => {
    let node: unknown = catalog;
    for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    if (typeof node !== 'string') return key;
    return node.replace(/__(\w+)__/g, (whole, name: string) => (params[name] !== undefined ? String(params[name]) : whole));
  };

  it('every refusal badge the README quotes is the text the node shows for that code', () => {
    for (const code of ['LIMIT', 'OPSP0008', 'BAD_CODE']) {
      const status = statusFor({ state: 'connected' } as never, { codes: 1, exchange: 'UN', refused: { code, trKey: '005930' }, problem: null } as never, null, t);
      assert.ok(readme.includes('`' + String(status.text) + '`'), `the README does not quote the badge \`${String(status.text)}\``);
    }
  });

  it('nobody says an invalid code blocks the deploy (the editor warns; the runtime refuses that code)', () => {
    const texts = ['README.md', 'dist/nodes/locales/en-US/kis-tick.html', 'dist/nodes/locales/ko/kis-tick.html', 'dist/nodes/locales/en-US/kis-quote.html', 'dist/nodes/locales/ko/kis-quote.html'];
    for (const file of texts) {
      const text = readFileSync(join(root, file), 'utf8');
      assert.doesNotMatch(text, /block(s)? the deploy|배포할 수 없/i, `${file} says invalid codes block the deploy`);
    }
    for (const lang of ['en-US', 'ko']) {
      const help = readFileSync(join(root, 'dist', 'nodes', 'locales', lang, 'kis-tick.html'), 'utf8');
      assert.match(help, /BAD_CODE/, `${lang} help names the run-time refusal of an invalid code`);
    }
  });
});
