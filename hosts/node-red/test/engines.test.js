// Debian 12's nodejs is 18.19: every package in this palette's lock file must declare that it
// runs there (Node-RED 4.1.11 and later pin a validate-npm-package-name that needs Node 20, so
// the lock holds 4.1.8). The ranges npm packages use for engines.node; anything else fails loudly.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const lock = require('../package-lock.json');

const NODE18 = [18, 19, 0];
const parse = (v) => v.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
const cmp = (a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);

function allowsPart(part, version) {
  if (part === '*' || part === '') return true;
  const m = part.match(/^(>=|>|<=|<|\^|~|=)?v?(\d+(?:\.\d+){0,2})(?:\.x)?$/);
  if (!m) throw new Error(`cannot read engines range part "${part}"`);
  const [, op = '=', v] = m;
  const want = parse(v);
  const c = cmp(version, want);
  if (op === '>=') return c >= 0;
  if (op === '>') return c > 0;
  if (op === '<=') return c <= 0;
  if (op === '<') return c < 0;
  if (op === '^') return version[0] === want[0] && c >= 0;
  if (op === '~') return version[0] === want[0] && version[1] === (want[1] ?? version[1]) && c >= 0;
  return v.split('.').every((n, i) => Number(n) === version[i]);
}

function allows(range, version) {
  return range.split('||').some((alt) => alt.trim().replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1').split(/\s+/).every((part) => allowsPart(part, version)));
}

test('every locked package allows Node 18.19', () => {
  const refused = Object.entries(lock.packages)
    .filter(([name, p]) => name && p.engines && p.engines.node && !allows(p.engines.node, NODE18))
    .map(([name, p]) => `${name.replace(/^.*node_modules\//, '')}@${p.version}: ${p.engines.node}`);
  assert.deepEqual(refused, []);
});

test('the pins the palette promises', () => {
  const version = (name) => lock.packages[`node_modules/${name}`].version;
  assert.match(version('node-red'), /^4\.1\./);
  assert.match(version('playwright-core'), /^1\.53\./);
  assert.ok(allows(lock.packages['node_modules/node-red'].engines.node, NODE18));
});
