// Collecting what helper nodes receive, and waiting for it.
'use strict';

// For each stage id, the messages its `<id>-ok` and `<id>-fail` helper nodes receive.
function outputsOf(helper, ids) {
  const seen = new Map();
  seen.waiters = [];
  for (const id of ids) {
    for (const name of [`${id}-ok`, `${id}-fail`]) {
      seen.set(name, []);
      helper.getNode(name).on('input', (msg) => {
        seen.get(name).push(msg);
        seen.waiters.filter((w) => w.name === name).forEach((w) => w.resolve(msg));
      });
    }
  }
  return seen;
}

// Resolves with the first message `name` receives: a helper node ('get-fail') or a stage ('get',
// meaning its success output). A message on any other failure output rejects, with its envelope,
// so a broken chain says where it broke.
function waitFor(seen, name, ms = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing reached ${name} within ${ms} ms; seen: ${describe(seen)}`)), ms);
    const finish = (fn) => (value) => { clearTimeout(timer); fn(value); };
    const on = (n, fn) => (seen.get(n).length ? fn(seen.get(n)[0]) : seen.waiters.push({ name: n, resolve: fn }));
    const target = seen.has(name) ? name : `${name}-ok`;
    on(target, finish(resolve));
    for (const n of seen.keys()) {
      if (n.endsWith('-fail') && n !== target) on(n, finish((msg) => reject(new Error(`${n}: ${JSON.stringify(msg.payload)}`))));
    }
  });
}

function describe(seen) {
  return [...seen].map(([n, list]) => `${n}=${list.length}`).join(' ');
}

module.exports = { outputsOf, waitFor };
