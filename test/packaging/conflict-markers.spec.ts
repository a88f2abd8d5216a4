/**
 * Several engineers merge into main: a merge conflict committed by mistake (a `<<<<<<<` line in an
 * editor .html once broke every dialog) must fail a test, not a user's editor.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/node-red-process';

describe('packaging: no merge-conflict markers', () => {
  it('no tracked text file has a conflict marker line', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter((f) => f !== '' && !f.endsWith('.png') && f !== 'package-lock.json');
    const marker = /^(<{7}|>{7})( |$)/m;
    const hits = files.filter((f) => {
      const file = path.join(repoRoot, f);
      return fs.existsSync(file) && marker.test(fs.readFileSync(file, 'utf8'));
    });
    assert.deepEqual(hits, []);
  });
});
