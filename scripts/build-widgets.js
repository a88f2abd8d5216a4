#!/usr/bin/env node
// `npm run build:widgets`: the Dashboard 2.0 widget bundles (resources/ui-kis-*.umd.js) from ui/ with
// vite. The bundles are committed, so `npm run build` and CI need no vite run; each bundle's banner
// carries a hash of its sources, and test/widgets/bundle.spec.ts fails when a bundle is stale.
'use strict';
const path = require('node:path');
const { widgetSourceHash, WIDGETS } = require('./widget-sources');

async function main() {
  const { build } = await import('vite');
  const { widgetConfig } = await import(path.join(__dirname, '..', 'ui', 'vite.config.mjs'));
  for (const w of WIDGETS) {
    const banner = `/*! ${w.type} · @kis-nodes/node-red-kis · Apache-2.0 · sources ${widgetSourceHash()} */`;
    await build(widgetConfig(w.type, w.entry, banner));
    console.log(`built resources/${w.type}.umd.js`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
