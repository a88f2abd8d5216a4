import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DocExtract } from './doc-extract';

/** Repository root, from dist/test/protocol/support at run time. */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/** The field lists and OPSP codes of the doc, as committed in test/fixtures/kis-doc.json. */
export function loadDocFixture(): DocExtract {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/kis-doc.json'), 'utf8')) as DocExtract;
}

/** ../shared/kis-protocol.md next to the repository, when it exists (it does in the dev setup). */
export function sharedDocText(): string | null {
  const path = resolve(REPO_ROOT, '..', 'shared', 'kis-protocol.md');
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}
