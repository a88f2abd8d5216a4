/**
 * Reads what the packaging specs check: package.json, the node sets it declares, the message catalogs.
 * Paths are resolved from the repository root, so the specs work from dist/test/packaging.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/node-red-process';

export { repoRoot };

export const packageName = '@kis-nodes/node-red-kis';
export const languages = ['en-US', 'ko'] as const;
export type Language = (typeof languages)[number];

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly main?: string;
  readonly type?: string;
  readonly keywords?: readonly string[];
  readonly repository?: string | { readonly type?: string; readonly url?: string };
  readonly bugs?: string | { readonly url?: string; readonly email?: string };
  readonly engines?: { readonly node?: string };
  readonly files?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly 'node-red'?: { readonly version?: string; readonly nodes?: Readonly<Record<string, string>> };
}

export function readPackageJson(): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
}

/** A node set of this package: its name (= namespace suffix) and where its files are. */
export interface NodeSet {
  readonly name: string;
  /** Namespace the editor and runtime use for its catalog: @kis-nodes/node-red-kis/<name>. */
  readonly namespace: string;
  /** Absolute path of the .js Node-RED loads (in dist). */
  readonly js: string;
  /** dist/.../<name>.html (editor). */
  readonly html: string;
  /** Source .html in nodes/ and source .ts. */
  readonly sourceHtml: string;
  readonly sourceTs: string;
  catalog(lang: Language, from: 'dist' | 'source'): string;
  help(lang: Language, from: 'dist' | 'source'): string;
}

/** The node sets of the editor/runtime contract; manifest.spec checks package.json declares exactly these. */
export const contractNodeSets = ['kis-bars', 'kis-config', 'kis-dashboard', 'kis-notice', 'kis-quote', 'kis-realtime', 'kis-tick'] as const;

/** The contract's node sets, at the paths package.json declares (dist/nodes/<name>.js when it does not yet). */
export function nodeSets(pkg: PackageJson = readPackageJson()): NodeSet[] {
  const declared = pkg['node-red']?.nodes ?? {};
  return contractNodeSets.map((name) => {
    const rel = declared[name] ?? `dist/nodes/${name}.js`;
    const js = path.join(repoRoot, rel);
    const distDir = path.dirname(js);
    const base = path.basename(rel, '.js');
    const sourceDir = path.join(repoRoot, 'nodes');
    const dirOf = (from: 'dist' | 'source'): string => (from === 'dist' ? distDir : sourceDir);
    return {
      name,
      namespace: `${packageName}/${name}`,
      js,
      html: path.join(distDir, `${base}.html`),
      sourceHtml: path.join(sourceDir, `${base}.html`),
      sourceTs: path.join(sourceDir, `${base}.ts`),
      catalog: (lang, from) => path.join(dirOf(from), 'locales', lang, `${base}.json`),
      help: (lang, from) => path.join(dirOf(from), 'locales', lang, `${base}.html`),
    };
  });
}

/** Type names registered in an editor .html: RED.nodes.registerType('<type>', …). */
export function registeredTypes(html: string): string[] {
  return [...html.matchAll(/RED\.nodes\.registerType\(\s*['"]([\w-]+)['"]/g)].map((m) => m[1] ?? '');
}

export type Catalog = { readonly [key: string]: string | Catalog };

export function readCatalog(file: string): Catalog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Catalog;
}

/** Every leaf key of a catalog in dotted form ("kis-tick.label.codes"). */
export function leafKeys(catalog: Catalog, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(catalog)) {
    const full = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') keys.push(full);
    else keys.push(...leafKeys(value, full));
  }
  return keys;
}

/**
 * Whether i18next would resolve `key`: a leaf string, or an object (i18next returns objects only with
 * returnObjects, so an object counts as missing). Plural forms (`key_plural`, `key_one`, …) count.
 */
export function hasKey(catalog: Catalog, key: string): boolean {
  const parts = key.split('.');
  let node: string | Catalog | undefined = catalog;
  for (const [index, part] of parts.entries()) {
    if (typeof node !== 'object') return false;
    const next: string | Catalog | undefined = node[part];
    if (next === undefined && index === parts.length - 1) {
      return ['_plural', '_one', '_other'].some((suffix) => typeof (node as Catalog)[`${part}${suffix}`] === 'string');
    }
    node = next;
  }
  return typeof node === 'string';
}

/** Every file under `dir` (recursive), as absolute paths. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}
