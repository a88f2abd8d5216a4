/**
 * Finds the message-catalog keys the nodes use, statically, so a missing translation fails a cheap test
 * instead of showing a raw key in somebody's editor (the test helper's RED._ is the identity, so runtime
 * tests never notice). Only literal keys are found; keys built at run time (`'…opsp.' + code`) are not.
 *
 * Resolution follows Node-RED (node-red-conventions.md §4):
 * - editor html of node set S: data-i18n and this._() keys without "ns:" belong to @kis-nodes/node-red-kis/S;
 * - RED._("ns:key") names its namespace; "node-red:" keys are core (checked against the core catalog);
 * - runtime .ts: RED._ is namespaced to the calling node set, and by convention a catalog's top-level key
 *   is its node type, so an unprefixed "kis-config.status.x" is looked up in the kis-config catalog.
 * String constants that hold a namespace prefix (`const NS = '@kis-nodes/node-red-kis/kis-config:'`) are
 * followed through template literals, `NS + 'key'`, and one-line wrappers such as
 * `function t(key) { return RED._(NS + key); }`.
 */
import { packageName } from './package-info';

export interface KeyUse {
  /** "@kis-nodes/node-red-kis/kis-config", "node-red" (core) or "" (no namespace: an editor core key). */
  readonly namespace: string;
  readonly key: string;
  readonly file: string;
}

const KEY_SHAPE = /^[A-Za-z][\w-]*(\.[\w-]+)+$/;

/** Splits "ns:key" (the namespace is whatever precedes the first ':'). */
function splitNamespace(full: string): { namespace: string | null; key: string } {
  const colon = full.indexOf(':');
  return colon < 0 ? { namespace: null, key: full } : { namespace: full.slice(0, colon), key: full.slice(colon + 1) };
}

/** `const|let|var NAME = '…'` string constants of a file. */
function stringConstants(source: string): Map<string, string> {
  const constants = new Map<string, string>();
  for (const m of source.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*(['"])([^'"\n]*)\2\s*;/g)) {
    constants.set(m[1] ?? '', m[3] ?? '');
  }
  return constants;
}

/** Functions that are a one-line wrapper around RED._ with a constant prefix: name → prefix. */
function translateWrappers(source: string, constants: Map<string, string>): Map<string, string> {
  const wrappers = new Map<string, string>();
  const re = /function\s+([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{\s*return\s+RED\._\(\s*([A-Za-z_$][\w$]*)\s*\+\s*\2\b/g;
  for (const m of source.matchAll(re)) {
    const prefix = constants.get(m[3] ?? '');
    if (prefix !== undefined) wrappers.set(m[1] ?? '', prefix);
  }
  return wrappers;
}

/** Literal arguments of calls to `callee(` ('…', "…" or a template literal without placeholders after substitution). */
function literalArguments(source: string, callee: string, constants: Map<string, string>): string[] {
  const escaped = callee.replace(/[.$]/g, (c) => `\\${c}`);
  const found: string[] = [];
  const quoted = new RegExp(`(?<![\\w$.])${escaped}\\(\\s*(['"])([^'"\\n]+)\\1`, 'g');
  for (const m of source.matchAll(quoted)) found.push(m[2] ?? '');
  const template = new RegExp(`(?<![\\w$.])${escaped}\\(\\s*\`([^\`\\n]+)\``, 'g');
  for (const m of source.matchAll(template)) {
    const text = substitute(m[1] ?? '', constants);
    if (text !== null) found.push(text);
  }
  const concatenated = new RegExp(`(?<![\\w$.])${escaped}\\(\\s*([A-Za-z_$][\\w$]*)\\s*\\+\\s*(['"])([^'"\\n]+)\\2\\s*[,)]`, 'g');
  for (const m of source.matchAll(concatenated)) {
    const prefix = constants.get(m[1] ?? '');
    if (prefix !== undefined) found.push(prefix + (m[3] ?? ''));
  }
  return found;
}

/** Replaces ${CONST} in a template literal; null when another placeholder remains (a run-time key). */
function substitute(template: string, constants: Map<string, string>): string | null {
  const text = template.replace(/\$\{\s*([A-Za-z_$][\w$]*)\s*\}/g, (whole, name: string) => constants.get(name) ?? whole);
  return text.includes('${') ? null : text;
}

function use(full: string, defaultNamespace: string | null, file: string): KeyUse | null {
  const { namespace, key } = splitNamespace(full);
  if (!KEY_SHAPE.test(key)) return null;
  const ns = namespace ?? defaultNamespace;
  return ns === null ? null : { namespace: ns, key, file };
}

/**
 * Keys used by an editor file of node set `setName` (nodes/<set>.html), or by shared editor script
 * (setName null: only namespaced keys resolve).
 */
export function editorKeys(source: string, file: string, setName: string | null): KeyUse[] {
  const own = setName === null ? null : `${packageName}/${setName}`;
  const constants = stringConstants(source);
  const uses: (KeyUse | null)[] = [];
  for (const m of source.matchAll(/data-i18n=(["'])([^"']+)\1/g)) {
    for (const part of (m[2] ?? '').split(';')) uses.push(use(part.replace(/^\[[^\]]+\]/, '').trim(), own, file));
  }
  for (const key of literalArguments(source, 'this._', constants)) uses.push(use(key, own, file));
  // RED._ without a namespace in the editor resolves in the editor's core catalog ("" namespace).
  for (const key of literalArguments(source, 'RED._', constants)) uses.push(use(key, '', file));
  for (const [wrapper, prefix] of translateWrappers(source, constants)) {
    for (const key of literalArguments(source, wrapper, constants)) uses.push(use(prefix + key, '', file));
  }
  return uses.filter((u): u is KeyUse => u !== null);
}

/** Keys used by runtime TypeScript: RED._ arguments and key-shaped literals "kis-<type>.<group>.<key>". */
export function runtimeKeys(source: string, file: string): KeyUse[] {
  const constants = stringConstants(source);
  const candidates = new Set<string>();
  for (const callee of ['RED._', 'this.RED._', 'this.text', 't']) {
    for (const key of literalArguments(source, callee, constants)) candidates.add(key);
  }
  // Status keys and keys passed through helpers: any literal shaped like a catalog key of this package.
  const keyLiteral = /(['"`])((?:@kis-nodes\/node-red-kis\/[\w-]+:|node-red:)?kis-[\w-]+(?:\.[\w-]+){2,})\1/g;
  for (const m of source.matchAll(keyLiteral)) candidates.add(m[2] ?? '');
  for (const m of source.matchAll(/(['"`])(node-red:[\w-]+(?:\.[\w-]+)+)\1/g)) candidates.add(m[2] ?? '');
  for (const m of source.matchAll(/`([^`\n]*\$\{[^`\n]*)`/g)) {
    const text = substitute(m[1] ?? '', constants);
    if (text !== null && /^(@kis-nodes\/node-red-kis\/[\w-]+:|node-red:)/.test(text)) candidates.add(text);
  }
  const uses: KeyUse[] = [];
  for (const full of candidates) {
    const { namespace, key } = splitNamespace(full);
    if (!KEY_SHAPE.test(key)) continue;
    // Unprefixed: the catalog whose top-level key (= node type) starts the key.
    const top = key.split('.')[0] ?? '';
    const ns = namespace ?? (top.startsWith('kis-') ? `${packageName}/${top}` : null);
    if (ns !== null) uses.push({ namespace: ns, key, file });
  }
  return uses;
}
