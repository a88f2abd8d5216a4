// `prepare` (npm pack, npm publish, and installs from a git URL): build dist/ so the tarball carries it.
// KIS_SKIP_PREPARE=1 skips it: test/packaging/pack.spec.ts lists the tarball of the dist/ the running
// suite uses, and a rebuild there would wipe dist/ under that suite (npm runs prepare on pack even with
// --ignore-scripts in some versions).
'use strict';
if (process.env.KIS_SKIP_PREPARE === '1') {
  console.log('prepare: KIS_SKIP_PREPARE=1, not rebuilding dist/');
  process.exit(0);
}
const { spawnSync } = require('node:child_process');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build'], { stdio: 'inherit', cwd: require('node:path').join(__dirname, '..') });
process.exit(result.status === null ? 1 : result.status);
