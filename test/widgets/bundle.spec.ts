/**
 * The committed widget bundles (resources/) are what `npm run build:widgets` makes from ui/ today, and
 * package.json registers them the way Dashboard 2.0 reads them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/node-red-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sources = require(path.join(repoRoot, 'scripts', 'widget-sources.js')) as {
  WIDGETS: { type: string; entry: string; component: string }[];
  widgetSourceHash(): string;
};

describe('widgets: bundles and registration', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    files: string[];
    'node-red-dashboard-2'?: { widgets: Record<string, { output: string; component: string }> };
  };

  it('package.json node-red-dashboard-2 names each widget bundle and its component', () => {
    const widgets = pkg['node-red-dashboard-2']?.widgets ?? {};
    assert.deepEqual(Object.keys(widgets).sort(), sources.WIDGETS.map((w) => w.type).sort());
    for (const w of sources.WIDGETS) assert.deepEqual(widgets[w.type], { output: `${w.type}.umd.js`, component: w.component });
    assert.ok(pkg.files.includes('resources'), 'resources/ is published');
  });

  it('each committed bundle is a UMD build of the current ui/ sources (run `npm run build:widgets` if not)', () => {
    const hash = sources.widgetSourceHash();
    for (const w of sources.WIDGETS) {
      const file = path.join(repoRoot, 'resources', `${w.type}.umd.js`);
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, new RegExp(`sources ${hash}`), `${w.type}: stale bundle`);
      // UMD: the global is the widget type, with the component on it; Vue stays external.
      assert.ok(text.includes(JSON.stringify(w.type)) && text.includes(`.${w.component}=`), `${w.type}: not a UMD of ${w.component}`);
      assert.match(text, /require\("vue"\)|\.Vue\b/);
      assert.ok(!/createApp\s*\(/.test(text) || text.length < 200_000, 'Vue itself is not bundled');
    }
  });
});
