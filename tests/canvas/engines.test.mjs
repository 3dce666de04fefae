// Debian 12's nodejs is 18.19/18.20, while development machines also carry Node 20: every
// package in the lock file must declare that it runs on Node 18.19, or a fresh machine breaks
// where ours do not. Run: node engines.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { here } from './lib.mjs';

const NODE18 = [18, 19, 0];
const parse = (v) => v.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
const cmp = (a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);

// The range forms npm packages use for engines.node; anything else fails loudly, to be read by a person.
function allows(range, version) {
  return range.split('||').some((alt) => alt.trim().replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1').split(/\s+/).every((part) => {
    const m = part.match(/^(>=|>|<=|<|\^|~|=)?v?(\d+(?:\.\d+){0,2})(?:\.x)?$/);
    if (!m) throw new Error(`cannot read engines range "${range}"`);
    const [, op = '=', v] = m, want = parse(v), c = cmp(version, want);
    if (op === '>=') return c >= 0;
    if (op === '>') return c > 0;
    if (op === '<=') return c <= 0;
    if (op === '<') return c < 0;
    if (op === '^') return version[0] === want[0] && c >= 0;
    if (op === '~') return version[0] === want[0] && version[1] === (want[1] ?? version[1]) && c >= 0;
    return v.split('.').every((n, i) => Number(n) === version[i]);
  }));
}

test('every locked package allows Node 18.19', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));
  const refused = Object.entries(lock.packages)
    .filter(([name, p]) => name && p.engines?.node && !allows(p.engines.node, NODE18))
    .map(([name, p]) => `${name.replace(/^.*node_modules\//, '')}@${p.version}: ${p.engines.node}`);
  assert.deepEqual(refused, []);
});
