/**
 * The Flow Library scorecard checks that can run offline (node-red-conventions.md §6), plus the layout
 * Node-RED needs to load the package: every node set's .js, editor .html, catalogs, help and icons in dist.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  contractNodeSets,
  filesUnder,
  languages,
  nodeSets,
  readPackageJson,
  registeredTypes,
  repoRoot,
  type PackageJson,
} from './package-info';

interface Semver {
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
}
// semver comes with node-red (a dev dependency); resolve it from there so hoisting does not matter.
const semver = require(require.resolve('semver', { paths: [path.dirname(require.resolve('node-red/package.json'))] })) as Semver;

const installedNodeRed = (JSON.parse(fs.readFileSync(require.resolve('node-red/package.json'), 'utf8')) as { version: string }).version;

/** The node types of the editor/runtime contract, by node set. */
const contractSets: Readonly<Record<string, { readonly types: readonly string[]; readonly config: boolean }>> = {
  'kis-config': { types: ['kis-config'], config: true },
  'kis-quote': { types: ['kis-quote'], config: false },
  'kis-tick': { types: ['kis-tick'], config: false },
  'kis-bars': { types: ['kis-bars'], config: false },
  'kis-realtime': { types: ['kis-realtime'], config: false },
  'kis-dashboard': { types: ['ui-kis-orderbook', 'ui-kis-candles'], config: false },
  'kis-notice': { types: ['kis-notice'], config: false },
};

function urlOf(field: PackageJson['repository'] | PackageJson['bugs']): string | undefined {
  if (typeof field === 'string') return field;
  if (field === undefined) return undefined;
  if ('email' in field && field.email !== undefined) return field.email;
  return field.url;
}

/** The text of the registerType call for `type`, up to the next registerType (or the end of the file). */
function registerCall(html: string, type: string): string {
  const start = html.search(new RegExp(`registerType\\(\\s*['"]${type}['"]`));
  if (start < 0) return '';
  const next = html.indexOf('registerType(', start + 1);
  return html.slice(start, next < 0 ? undefined : next);
}

describe('packaging: package.json (scorecard P01–P07, D01)', () => {
  const pkg = readPackageJson();

  it('P01 declares a license and ships a LICENSE file', () => {
    assert.match(pkg.license ?? '', /^[A-Za-z0-9.+-]+$|^SEE LICENSE IN /, 'license must be an SPDX id');
    assert.ok(fs.existsSync(path.join(repoRoot, 'LICENSE')), 'LICENSE file missing');
    assert.ok(fs.existsSync(path.join(repoRoot, 'README.md')), 'README.md missing');
  });

  it('P03 links the repository or a bug tracker', () => {
    const repository = urlOf(pkg.repository);
    const bugs = urlOf(pkg.bugs);
    assert.ok(repository !== undefined || bugs !== undefined, 'repository or bugs is required');
    if (repository !== undefined) assert.match(repository, /^(git\+)?https:\/\/|^github:/);
  });

  it('P04 keeps the node-red-contrib- prefix for an unscoped name', () => {
    assert.match(pkg.name, /^(@[\w-]+\/[\w.-]+|node-red-contrib-[\w.-]+)$/);
  });

  it('P05 has the node-red keyword', () => {
    assert.ok(pkg.keywords?.includes('node-red'), `keywords: ${JSON.stringify(pkg.keywords)}`);
  });

  it('P06 declares node-red.version, and the Node-RED the tests run satisfies it', () => {
    const range = pkg['node-red']?.version;
    assert.ok(range !== undefined && semver.validRange(range) !== null, `node-red.version: ${String(range)}`);
    assert.ok(semver.satisfies(installedNodeRed, range), `installed node-red ${installedNodeRed} is outside ${range}`);
    // The scorecard checks the range against npm's latest (5.x): a range capped below 5 fails it.
    assert.ok(semver.satisfies('5.0.7', range), `${range} excludes node-red 5, which fails scorecard P06`);
  });

  it('P07 declares engines.node, and the Node.js running the tests satisfies it', () => {
    const range = pkg.engines?.node;
    assert.ok(range !== undefined && semver.validRange(range) !== null, `engines.node: ${String(range)}`);
    assert.ok(semver.satisfies(process.versions.node, range), `node ${process.versions.node} is outside ${range}`);
    // Satisfied by the minimum Node of the latest node-red (22.9.0) or the scorecard fails it.
    assert.ok(semver.satisfies('22.9.0', range), `${range} excludes Node 22.9`);
  });

  it('D01 has at most 6 dependencies and never depends on node-red at run time', () => {
    const deps = Object.keys(pkg.dependencies ?? {});
    assert.ok(deps.length <= 6, `${deps.length} dependencies: ${deps.join(', ')}`);
    assert.ok(!deps.includes('node-red'), 'node-red must not be a dependency');
    assert.ok(!deps.some((d) => d.startsWith('@node-red/')), 'no @node-red/* run-time dependencies');
    assert.ok(pkg.devDependencies?.['node-red'] !== undefined, 'node-red belongs in devDependencies');
  });

  it('ships CommonJS through a files whitelist, with main inside it', () => {
    assert.equal(pkg.type, undefined, 'no "type" field: the nodes are CommonJS');
    const files = pkg.files ?? [];
    for (const needed of ['dist/nodes', 'dist/lib', 'examples']) {
      assert.ok(files.includes(needed), `files whitelist lacks ${needed}: ${JSON.stringify(files)}`);
    }
    assert.ok(!files.some((f) => f === 'dist' || f === 'dist/' || f.startsWith('dist/test') || f.startsWith('test')), 'files must not ship tests');
    assert.match(pkg.main ?? '', /^dist\/lib\//);
    assert.ok(fs.existsSync(path.join(repoRoot, pkg.main ?? '')), `main ${String(pkg.main)} is not built`);
  });
});

describe('packaging: node sets load from dist', () => {
  const pkg = readPackageJson();
  it('declares exactly the contract node sets (every set in package.json node-red.nodes) under dist/nodes', () => {
    assert.deepEqual(Object.keys(pkg['node-red']?.nodes ?? {}).sort(), [...contractNodeSets].sort());
    assert.deepEqual(Object.keys(contractSets).sort(), [...contractNodeSets].sort());
    for (const [name, rel] of Object.entries(pkg['node-red']?.nodes ?? {})) {
      assert.equal(rel, `dist/nodes/${name}.js`);
    }
  });

  for (const set of nodeSets()) {
    describe(set.name, () => {
      it('has its .js and editor .html in dist, built from nodes/', () => {
        assert.ok(fs.existsSync(set.sourceTs), `missing ${path.relative(repoRoot, set.sourceTs)}`);
        assert.ok(fs.existsSync(set.js), `missing ${path.relative(repoRoot, set.js)} (build first)`);
        assert.ok(fs.existsSync(set.sourceHtml), `missing ${path.relative(repoRoot, set.sourceHtml)}`);
        assert.ok(fs.existsSync(set.html), `missing ${path.relative(repoRoot, set.html)} (run scripts/build-assets.js)`);
      });

      it('has a catalog and help in both languages, in nodes/ and in dist', () => {
        for (const lang of languages) {
          for (const from of ['source', 'dist'] as const) {
            for (const file of [set.catalog(lang, from), set.help(lang, from)]) {
              assert.ok(fs.existsSync(file), `missing ${path.relative(repoRoot, file)}`);
            }
          }
        }
      });

      it('exports one function (export =) that registers its types', () => {
                const entry = require(set.js) as unknown;
        assert.equal(typeof entry, 'function', `${set.name}.js must be module.exports = function (RED) {…}`);
      });

      it('registers its types with the literal fields the scorecard parser reads', () => {
        const html = fs.readFileSync(set.sourceHtml, 'utf8');
        const expected = contractSets[set.name];
        assert.ok(expected !== undefined, `unexpected node set ${set.name}`);
        assert.deepEqual(registeredTypes(html).sort(), [...expected.types].sort());
        assert.match(html, /<script type="text\/javascript"/, 'needs a <script type="text/javascript"> block');
        assert.doesNotMatch(html, /data-help-name=/, 'help belongs in locales/<lang>/<set>.html');
        for (const type of expected.types) {
          assert.match(html, new RegExp(`data-template-name=["']${type}["']`), `no dialog template for ${type}`);
          const call = registerCall(html, type);
          for (const field of ['category', 'defaults', 'color', 'icon', 'inputs', 'outputs']) {
            if (expected.config && (field === 'inputs' || field === 'outputs' || field === 'color' || field === 'icon')) continue;
            assert.match(call, new RegExp(`\\b${field}\\s*:`), `${type}: registerType lacks a literal ${field}`);
          }
          if (expected.config) assert.match(call, /category\s*:\s*['"]config['"]/);
          else assert.match(call, /category\s*:\s*['"]kis['"]/, `${type} belongs in the "kis" palette category`);
        }
      });

      it('ships every icon its editor html names in dist/nodes/icons', () => {
        const html = fs.readFileSync(set.sourceHtml, 'utf8');
        const icons = [...html.matchAll(/\bicon\s*:\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
        const own = icons.filter((icon) => !icon.startsWith('font-awesome/') && !icon.startsWith('node-red/'));
        for (const icon of own) {
          const file = path.join(path.dirname(set.js), 'icons', icon);
          assert.ok(fs.existsSync(file), `icon ${icon} is not in ${path.relative(repoRoot, path.dirname(file))}`);
          assert.ok(fs.existsSync(path.join(repoRoot, 'icons', icon)), `icon ${icon} is not in icons/ (source)`);
        }
      });

      it('help names each registered type in both languages', () => {
        const types = contractSets[set.name]?.types ?? [];
        for (const lang of languages) {
          const help = fs.readFileSync(set.help(lang, 'source'), 'utf8');
          for (const type of types) {
            assert.match(help, new RegExp(`data-help-name=["']${type}["']`), `${lang}/${set.name}.html has no help for ${type}`);
          }
        }
      });
    });
  }
});

describe('packaging: examples (scorecard N02)', () => {
  const exampleFiles = filesUnder(path.join(repoRoot, 'examples')).filter((f) => f.endsWith('.json'));

  it('has example flows', () => {
    assert.ok(exampleFiles.length > 0, 'examples/ has no .json flows');
  });

  it('each example is a flow array of nodes with id and type, opening with a comment, without credentials', () => {
    for (const file of exampleFiles) {
      const name = path.relative(repoRoot, file);
      const flow = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      assert.ok(Array.isArray(flow) && flow.length > 0, `${name} must be a non-empty array`);
      for (const node of flow as unknown[]) {
        assert.ok(typeof node === 'object' && node !== null, `${name}: every entry is an object`);
        const { id, type } = node as { id?: unknown; type?: unknown };
        assert.ok(typeof id === 'string' && typeof type === 'string', `${name}: every node has an id and a type`);
        assert.ok(!('credentials' in node), `${name}: node ${id} carries credentials`);
      }
      assert.ok((flow as { type: string }[]).some((n) => n.type === 'comment'), `${name} should explain itself with a comment node`);
    }
  });

  it('uses every non-config node type in at least one example', () => {
    const used = new Set(
      exampleFiles.flatMap((file) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { type: string }[]).map((n) => n.type)),
    );
    for (const type of Object.values(contractSets).filter((s) => !s.config).flatMap((s) => s.types)) {
      assert.ok(used.has(type), `no example uses ${type}`);
    }
  });
});
