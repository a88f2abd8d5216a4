import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
// scripts/update-readme.js is plain JS shipped with the repo; it renders the generated README sections.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render } = require(join(root, 'scripts', 'update-readme.js')) as { render(text: string): string };

describe('README', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('has its generated tables (fields per TR, OPSP codes) up to date with the protocol tables', () => {
    assert.equal(render(readme), readme, 'README.md is stale: run `node scripts/update-readme.js`');
  });

  it('states the two commands: run the demo and run the tests', () => {
    assert.match(readme, /^npm start\b/m);
    assert.match(readme, /^npm test\b/m);
  });

  it('lists every field of every market-data TR and every OPSP code', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kis = require(join(root, 'dist', 'lib', 'protocol')) as typeof import('../../lib/protocol');
    for (const id of ['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0', 'H0STASP0', 'H0NXASP0', 'H0UNASP0'] as const) {
      for (const field of kis.TR_TABLES[id].fields) assert.ok(readme.includes('`' + field.name + '`'), `${id} ${field.name} missing`);
    }
    for (const code of kis.OPSP_CODES) assert.ok(readme.includes('`' + code.code + '`'), `${code.code} missing`);
  });
});
