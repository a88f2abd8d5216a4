/**
 * What `npm pack` would publish: the built nodes and library, examples, README and LICENSE, and
 * nothing of the tests, TypeScript sources, benchmarks or CI. Runs `npm pack --dry-run` offline;
 * --ignore-scripts keeps a prepack build from wiping dist/ under other tests.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { nodeSets, readPackageJson, repoRoot } from './package-info';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface PackResult {
  readonly files: readonly { readonly path: string }[];
}

async function packedFiles(): Promise<string[]> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { stdout } = await promisify(execFile)(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repoRoot,
    // No npm_* of an outer `npm test`/`npx` run (they can bring the prepare build back, which would
    // wipe dist/ under the running suite); scripts stay off.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_'))),
      npm_config_ignore_scripts: 'true',
      KIS_SKIP_PREPARE: '1',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    maxBuffer: 32 * 1024 * 1024,
  });
  // npm may print warnings before the JSON on stdout in some versions; the JSON starts at the first '['.
  const json = JSON.parse(stdout.slice(stdout.indexOf('['))) as PackResult[];
  const result = json[0];
  if (result === undefined) throw new Error(`npm pack printed no result: ${stdout}`);
  return result.files.map((f) => f.path);
}

describe('packaging: npm pack contents', function () {
  this.timeout(60000);
  let files: string[] = [];

  before(async () => {
    files = await packedFiles();
  });

  it('ships no tests, benchmarks, CI, scripts or artefacts', () => {
    const forbidden = [/^test\//, /^dist\/test\//, /^bench\//, /^dist\/bench\//, /^\.ci\//, /^scripts\//, /^dist\/scripts\//,
      /^test-artifacts\//, /^\.demo\//, /\.tsbuildinfo$/, /\.tgz$/, /^node_modules\//, /(^|\/)\.mocharc/];
    const leaked = files.filter((f) => forbidden.some((re) => re.test(f)));
    assert.deepEqual(leaked, [], `these should not be published:\n${leaked.join('\n')}`);
  });

  it('ships no TypeScript sources (declarations only)', () => {
    const sources = files.filter((f) => /\.(ts|mts|cts)$/.test(f) && !/\.d\.(ts|mts|cts)$/.test(f));
    assert.deepEqual(sources, []);
  });

  it('ships the library entry, README, LICENSE and examples', () => {
    const pkg = readPackageJson();
    for (const needed of [pkg.main ?? 'dist/lib/index.js', 'dist/lib/index.js', 'package.json', 'README.md', 'LICENSE']) {
      assert.ok(files.includes(needed), `${needed} is not in the package`);
    }
    assert.ok(files.some((f) => /^examples\/.+\.json$/.test(f)), 'no examples/*.json in the package');
  });

  it('ships every node set with its editor html, catalogs, help and icons', () => {
    const sets = nodeSets();
    assert.ok(sets.length > 0, 'package.json declares no node sets');
    for (const set of sets) {
      const rel = (abs: string): string => path.relative(repoRoot, abs).split(path.sep).join('/');
      const needed = [set.js, set.html, set.catalog('en-US', 'dist'), set.catalog('ko', 'dist'), set.help('en-US', 'dist'), set.help('ko', 'dist')];
      for (const file of needed.map(rel)) assert.ok(files.includes(file), `${file} is not in the package`);
    }
    assert.ok(files.some((f) => f.startsWith('dist/nodes/icons/')), 'no icons in dist/nodes/icons');
  });
});

describe('packaging: npm run build keeps the bin executable', () => {
  it('every package.json bin in dist has its execute bit (npx kis-simulator in a checkout)', () => {
    const bins = (readPackageJson() as { bin?: Record<string, string> }).bin ?? {};
    assert.ok(Object.keys(bins).length > 0, 'package.json declares no bin');
    for (const [name, rel] of Object.entries(bins)) {
      const mode = fs.statSync(path.join(repoRoot, rel)).mode;
      assert.ok((mode & 0o111) === 0o111, `${name} (${rel}) is not executable after the build: mode ${(mode & 0o777).toString(8)}`);
      assert.match(fs.readFileSync(path.join(repoRoot, rel), 'utf8'), /^#!\/usr\/bin\/env node\n/, `${rel} lacks its shebang`);
    }
  });
});
