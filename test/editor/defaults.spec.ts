/**
 * The truthy-defaults trap, for every node type every nodes/*.html registers (new nodes included):
 * Node-RED's new-config dialog (and the type-search "suggested nodes") copies a default into the new
 * node only when it is truthy, so a default of 0, false or '' arrives as undefined. If that property is
 * required or its validate rejects undefined, the first node a user creates is invalid and every deploy
 * says "not properly configured". Checked with the editor's own validateNode in a real Node-RED and
 * chromium, on a node built exactly as the dialog builds it. Only config-node references (a default
 * with a `type`) may stay invalid: the user must pick or add the config node.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, type TrackedPage } from '../helpers/browser';
import { openEditor } from '../helpers/editor';
import { repoRoot, startNodeRed, type NodeRedProcess } from '../helpers/node-red-process';
import { registeredTypes } from '../packaging/package-info';

/** Every type registered by an editor .html in nodes/, with its file. */
function typesInNodesDir(): { type: string; file: string }[] {
  const dir = path.join(repoRoot, 'nodes');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .flatMap((f) => registeredTypes(fs.readFileSync(path.join(dir, f), 'utf8')).map((type) => ({ type, file: `nodes/${f}` })));
}

interface TrapReport {
  readonly known: boolean;
  readonly category: string;
  /** Falsy defaults that make a new node invalid when left undefined (or the declared defaults themselves). */
  readonly invalid: readonly string[];
  /** Properties whose default is falsy (they arrive as undefined). */
  readonly falsy: readonly string[];
  /** Config-node references (exempt). */
  readonly configRefs: readonly string[];
}

describe('editor: every default of every node survives the new-node dialogs (truthy-defaults trap)', function () {
  this.timeout(120000);
  let red: NodeRedProcess | undefined;
  let browser: Browser | undefined;
  let tracked: TrackedPage | undefined;
  const types = typesInNodesDir();

  before(async () => {
    red = await startNodeRed({ settings: { lang: 'en-US' } });
    browser = await launchBrowser();
    tracked = await openPage(browser, { locale: 'en-US', baseURL: red.url });
    await openEditor(tracked.page);
  });

  after(async () => {
    await tracked?.context.close().catch(() => undefined);
    await browser?.close();
    await red?.stop();
  });

  it('finds the node types of nodes/*.html', () => {
    assert.ok(types.some((t) => t.type === 'kis-config') && types.some((t) => t.type === 'kis-tick'), JSON.stringify(types));
  });

  for (const { type, file } of types) {
    it(`${type} (${file}): valid with each falsy default left out, as the new-node dialogs do`, async () => {
      if (tracked === undefined) throw new Error('no page');
      const report = await tracked.page.evaluate((t): TrapReport => {
        interface Def { value?: unknown; type?: string; required?: boolean; validate?: (this: object, v: unknown, opt?: object) => unknown }
        const RED = (window as unknown as {
          RED: {
            nodes: { getType(t: string): { category?: string; defaults?: Record<string, Def>; _?: unknown } | null; id(): string };
            editor: { validateNode?(node: object): boolean };
          };
        }).RED;
        const def = RED.nodes.getType(t);
        if (def === null || def === undefined) return { known: false, category: '', invalid: [], falsy: [], configRefs: [] };
        const all = def.defaults ?? {};
        const configRefs = Object.keys(all).filter((k) => typeof all[k]?.type === 'string');
        // Config-node references are left out: the user picks or adds the config node.
        const defaults: Record<string, Def> = {};
        for (const key of Object.keys(all)) if (!configRefs.includes(key)) defaults[key] = all[key] as Def;
        const falsy = Object.keys(defaults).filter((k) => !defaults[k]?.value && defaults[k]?.value !== undefined);
        const copy = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
        /** A node with every default but `missing` (which the dialogs leave undefined when it is falsy). */
        const nodeWithout = (missing: string | null): Record<string, unknown> => {
          const node: Record<string, unknown> = { id: RED.nodes.id(), type: t, _def: { ...def, defaults }, _: def._, z: '', users: [] };
          for (const key of Object.keys(defaults)) if (key !== missing) node[key] = copy(defaults[key]?.value);
          return node;
        };
        const isValid = (node: Record<string, unknown>): boolean | string => {
          if (typeof RED.editor.validateNode === 'function') {
            return RED.editor.validateNode(node) ? true : JSON.stringify(node['validationErrors'] ?? []);
          }
          // The editor's rule by hand: required means not ''; validate must return true.
          const bad = Object.keys(defaults).filter((k) => {
            const d = defaults[k] as Def;
            if (d.required === true && node[k] === '') return true;
            return d.validate !== undefined && d.validate.call(node, node[k], {}) !== true;
          });
          return bad.length === 0 ? true : JSON.stringify(bad);
        };
        const invalid: string[] = [];
        // A node invalid with its defaults as declared asks the user for a choice in its dialog (like a
        // config reference): not this trap. The trap is a falsy default that breaks a valid node.
        const baseline = isValid(nodeWithout(null));
        for (const key of falsy) {
          const result = isValid(nodeWithout(key));
          if (result !== true && result !== baseline) invalid.push(`${key} (${result})`);
        }
        return { known: true, category: def.category ?? '', invalid, falsy, configRefs };
      }, type);
      assert.ok(report.known, `${type} is registered in ${file} but the editor does not know it (missing from package.json node-red.nodes?)`);
      const trapped = report.invalid;
      assert.deepEqual(
        trapped,
        [],
        `${type}: ${trapped.join(', ')} invalid on a new node. Falsy defaults (${report.falsy.join(', ') || 'none'}) arrive as undefined: ` +
          'make them optional and valid when blank (e.g. RED.validators.number(true)), with the runtime using the same default.',
      );
    });
  }
});
