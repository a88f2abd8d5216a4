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
