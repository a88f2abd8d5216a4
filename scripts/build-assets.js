// Copy what tsc does not emit next to the compiled nodes: editor .html, locales/, icons/.
// Node-RED looks for <node>.html, locales/<lang>/<node>.{json,html} and icons/ beside each .js.
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const out = path.join(root, 'dist', 'nodes');
fs.mkdirSync(out, { recursive: true });
const nodesDir = path.join(root, 'nodes');
for (const name of fs.readdirSync(nodesDir)) {
  if (name.endsWith('.html')) fs.copyFileSync(path.join(nodesDir, name), path.join(out, name));
}
if (fs.existsSync(path.join(nodesDir, 'locales'))) fs.cpSync(path.join(nodesDir, 'locales'), path.join(out, 'locales'), { recursive: true });
if (fs.existsSync(path.join(root, 'icons'))) fs.cpSync(path.join(root, 'icons'), path.join(out, 'icons'), { recursive: true });
// Generated help and docs (field tables) are written by scripts/gen-docs.js when present.
const gen = path.join(__dirname, 'gen-docs.js');
if (fs.existsSync(gen)) require(gen);
// tsc rewrites every emitted .js without the execute bit; the package's `bin` entries (npx kis-simulator)
// need it back, or a checkout's `npx kis-simulator` fails with "Permission denied" after a rebuild.
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const bin of Object.values(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin || {})) {
  const file = path.join(root, bin);
  if (fs.existsSync(file)) fs.chmodSync(file, fs.statSync(file).mode | 0o111);
}
