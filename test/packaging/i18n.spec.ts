/**
 * i18n (node-red-conventions.md §4): both languages have the same keys per node set, and every key the
 * editor html, the shared editor script and the runtime use exists in both. Node-RED would silently
 * fall back to en-US (or show the raw key), so only a static check catches a gap.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorKeys, runtimeKeys, type KeyUse } from './i18n-keys';
import { filesUnder, hasKey, languages, leafKeys, nodeSets, packageName, readCatalog, repoRoot, type Catalog, type Language } from './package-info';

const nodesDir = path.join(repoRoot, 'nodes');

function catalogsByNamespace(): Map<string, Record<Language, Catalog>> {
  const map = new Map<string, Record<Language, Catalog>>();
  for (const set of nodeSets()) {
    map.set(set.namespace, { 'en-US': readCatalog(set.catalog('en-US', 'source')), ko: readCatalog(set.catalog('ko', 'source')) });
  }
  return map;
}

/** Core catalogs: "node-red" (core nodes' messages.json) and "" (the editor's own editor.json). */
function coreCatalog(namespace: 'node-red' | ''): Catalog {
  const file =
    namespace === 'node-red'
      ? require.resolve('@node-red/nodes/locales/en-US/messages.json', { paths: [path.dirname(require.resolve('node-red/package.json'))] })
      : require.resolve('@node-red/editor-client/locales/en-US/editor.json', { paths: [path.dirname(require.resolve('node-red/package.json'))] });
  return readCatalog(file);
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/__([\w-]+)__/g)].map((m) => m[1] ?? '').sort();
}

function leafValue(catalog: Catalog, key: string): string | undefined {
  let node: string | Catalog | undefined = catalog;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

function allUses(): KeyUse[] {
  const uses: KeyUse[] = [];
  for (const set of nodeSets()) {
    if (fs.existsSync(set.sourceHtml)) uses.push(...editorKeys(fs.readFileSync(set.sourceHtml, 'utf8'), path.relative(repoRoot, set.sourceHtml), set.name));
  }
  for (const file of filesUnder(path.join(nodesDir, 'editor')).filter((f) => f.endsWith('.js') || f.endsWith('.html'))) {
    uses.push(...editorKeys(fs.readFileSync(file, 'utf8'), path.relative(repoRoot, file), null));
  }
  for (const file of filesUnder(nodesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    uses.push(...runtimeKeys(fs.readFileSync(file, 'utf8'), path.relative(repoRoot, file)));
  }
  return uses;
}

describe('packaging: i18n catalogs', () => {
  for (const set of nodeSets()) {
    describe(set.name, () => {
      it('en-US and ko have identical key sets', () => {
        const en = leafKeys(readCatalog(set.catalog('en-US', 'source')));
        const ko = leafKeys(readCatalog(set.catalog('ko', 'source')));
        assert.deepEqual(
          { onlyEnUS: en.filter((k) => !ko.includes(k)), onlyKo: ko.filter((k) => !en.includes(k)) },
          { onlyEnUS: [], onlyKo: [] },
        );
      });

      it('uses the node type as the top-level key, __name__ placeholders and no empty texts', () => {
        for (const lang of languages) {
          const catalog = readCatalog(set.catalog(lang, 'source'));
          assert.ok(catalog[set.name] !== undefined, `${lang}/${set.name}.json has no top-level "${set.name}" key`);
          for (const key of leafKeys(catalog)) {
            const text = leafValue(catalog, key) ?? '';
            assert.ok(text.trim() !== '', `${lang}/${set.name}.json: ${key} is empty`);
            assert.doesNotMatch(text, /\{\{\s*\w+\s*\}\}/, `${lang}/${set.name}.json: ${key} uses {{x}}; Node-RED uses __x__`);
          }
        }
      });

      it('en-US and ko use the same placeholders in each text', () => {
        const en = readCatalog(set.catalog('en-US', 'source'));
        const ko = readCatalog(set.catalog('ko', 'source'));
        for (const key of leafKeys(en)) {
          const koText = leafValue(ko, key);
          if (koText === undefined) continue; // reported by the key-set test
          assert.deepEqual(placeholders(koText), placeholders(leafValue(en, key) ?? ''), `${set.name}: ${key}`);
        }
      });
    });
  }
});

describe('packaging: every key the nodes use exists in both languages', () => {
  it('finds the keys the nodes use (the scanner itself works)', () => {
    const uses = allUses();
    // Each editor html must yield keys: a scanner that finds nothing would make the next test vacuous.
    for (const set of nodeSets()) {
      const file = path.relative(repoRoot, set.sourceHtml);
      assert.ok(uses.some((u) => u.file === file), `no i18n keys found in ${file}`);
    }
    assert.ok(uses.some((u) => u.file.endsWith('.ts')), 'no i18n keys found in the runtime .ts files');
  });

  it('resolves each key in en-US and ko (or in the core catalog for node-red: keys)', () => {
    const catalogs = catalogsByNamespace();
    const core = { 'node-red': coreCatalog('node-red'), '': coreCatalog('') };
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const u of allUses()) {
      const id = `${u.namespace}:${u.key}`;
      if (seen.has(`${u.file}|${id}`)) continue;
      seen.add(`${u.file}|${id}`);
      if (u.namespace === 'node-red' || u.namespace === '') {
        if (u.namespace === '' && u.key.startsWith('kis-')) missing.push(`${u.file}: RED._("${u.key}") has no namespace; write "${packageName}/<set>:${u.key}"`);
        else if (!hasKey(core[u.namespace], u.key)) missing.push(`${u.file}: core key ${id || u.key} does not exist`);
        continue;
      }
      const catalog = catalogs.get(u.namespace);
      if (catalog === undefined) {
        missing.push(`${u.file}: ${id}: unknown namespace ${u.namespace}`);
        continue;
      }
      for (const lang of languages) {
        if (!hasKey(catalog[lang], u.key)) missing.push(`${u.file}: ${id} missing in ${lang}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
