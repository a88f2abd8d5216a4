// The Dashboard 2.0 widgets built from ui/, and a hash of every source that goes into their bundles
// (shared by scripts/build-widgets.js and the staleness test).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const uiDir = path.join(__dirname, '..', 'ui');
const WIDGETS = [
  { type: 'ui-kis-orderbook', entry: './orderbook.js', component: 'KisOrderBook' },
  { type: 'ui-kis-candles', entry: './candles.js', component: 'KisCandles' },
];

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

function widgetSourceHash() {
  const h = crypto.createHash('sha256');
  for (const file of filesUnder(uiDir).sort()) {
    h.update(path.relative(uiDir, file).split(path.sep).join('/'));
    h.update('\0');
    h.update(fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n'));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

module.exports = { WIDGETS, widgetSourceHash, uiDir };
