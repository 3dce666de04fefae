// The palette in a real Node-RED process (installed into a temporary user folder with npm, on a
// loopback port), deployed through the admin API as the editor does: the account's secrets stay
// in the encrypted credentials file, never in flows.json or an exported flow; and redeploying
// while runs are in flight cancels them promptly and leaves no plugin thread or run behind.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
require('./support/paths');
const { startSandbox } = require('./support/sandbox');
const { startNodeRed } = require('./support/node-red');

let sandbox;
let red;
before(async () => {
  sandbox = await startSandbox();
  red = await startNodeRed();
});
after(async () => {
  if (red) await red.stop();
  if (sandbox) await sandbox.stop();
});

const api = (method, route, body, headers = {}) => fetch(`${red.url}${route}`, {
  method, headers: { 'Content-Type': 'application/json', ...headers }, body: body && JSON.stringify(body),
});

function flow(label) {
  return [
    { id: 'tab1', type: 'tab', label },
    { id: 'acct', type: 'freshdesk-account', name: 'sandbox', credentials: { ...sandbox.credentials } },
    { id: 'go', z: 'tab1', type: 'inject', props: [{ p: 'payload' }], payload: '{"TicketId": 1}', payloadType: 'json', repeat: '', once: false, wires: [['get']] },
    { id: 'get', z: 'tab1', type: 'freshdesk-ticket-get', account: 'acct', fields: {}, wires: [[], []] },
  ];
}

async function deploy(label) {
  const answer = await api('POST', 'flows', flow(label), { 'Node-RED-Deployment-Type': 'full' });
  assert.equal(answer.status, 204, await answer.text());
}

// Node-RED answers a deploy before the new flows have started: retry until the inject is there.
async function inject() {
  for (let tries = 0; tries < 50; ++tries) {
    const answer = await api('POST', 'inject/go');
    if (answer.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the inject node did not start');
}

const inFlight = async () => (await (await api('GET', 'wfp/status')).json()).inFlight;

async function waitUntilIdle(ms) {
  const started = Date.now();
  while ((await inFlight()) !== 0) {
    if (Date.now() - started > ms) throw new Error(`runs still in flight ${ms} ms after the redeploy`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const threads = () => fs.readdirSync(`/proc/${red.child.pid}/task`).length;

test('the API key is in no exported flow and in no file but the encrypted credentials', async () => {
  await deploy('secrets');
  const exported = await (await api('GET', 'flows')).text();
  assert.ok(exported.includes('freshdesk-account'));
  for (const secret of [sandbox.credentials.api_key, sandbox.credentials.base_url]) {
    assert.ok(!exported.includes(secret), `the exported flow holds ${secret}`);
    assert.ok(!fs.readFileSync(path.join(red.userDir, 'flows.json'), 'utf8').includes(secret));
    assert.ok(!fs.readFileSync(path.join(red.userDir, 'flows_cred.json'), 'utf8').includes(secret));
  }
  assert.match(fs.readFileSync(path.join(red.userDir, 'flows_cred.json'), 'utf8'), /"\$":/);  // encrypted
});

test('a redeploy cancels runs in flight and leaks no plugin thread or run', async () => {
  await deploy('warm-up');
  await inject();  // the plugin's threads exist from here on
  await waitUntilIdle(5000);
  const baseline = threads();
  for (let i = 0; i < 5; ++i) {
    // Freshdesk answers after 5 s: each run is still in flight when the redeploy comes.
    await fetch(`${sandbox.credentials.control_url}/control/faults`, { method: 'POST', body: JSON.stringify({ kind: 'delay_before_headers', delay_ms: 5000, count: 1 }) });
    await inject();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await inFlight(), 1);
    await deploy(`redeploy ${i}`);
    await waitUntilIdle(2000);  // cancelled, not waited out
  }
  await fetch(`${sandbox.credentials.control_url}/control/faults`, { method: 'DELETE' });
  assert.ok(threads() <= baseline, `${threads()} threads after the redeploys, ${baseline} before`);
});
