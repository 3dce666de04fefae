// What the Freshdesk plugin has no node for yet, shown with the fixture plugin (a C plugin built
// from wfp_plugin.h alone): a polling trigger keeps its cursor in context, an option source
// fills a select through the admin endpoint, the account's Test button runs the credential test
// node, the plugin's icon is served, and closing a node cancels its run in flight.
'use strict';
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const helper = require('node-red-node-test-helper');
const wfpNodes = require('../wfp.js');
const { outputsOf, waitFor } = require('./support/flow-tools');

const paths = require('./support/paths');

helper.init(require.resolve('node-red'), { wfpPluginDir: paths.fixturePluginDir });

before(() => helper.startServer());
after(() => helper.stopServer());
afterEach(() => helper.unload());

const account = { id: 'acct', type: 'fixture-account', name: 'fixture' };
const good = { acct: { token: 'good' } };

test('a trigger polls on its interval and passes the cursor of the last run to the next', async () => {
  const flow = [{ id: 'f1', type: 'tab' }, account,
    { id: 'watch', z: 'f1', type: 'fixture-counter-watch', account: 'acct', interval: 0.2, fields: {}, wires: [['watch-ok'], ['watch-fail']] },
    { id: 'watch-ok', z: 'f1', type: 'helper' }, { id: 'watch-fail', z: 'f1', type: 'helper' }];
  await helper.load(wfpNodes, flow, good);
  const seen = outputsOf(helper, ['watch']);
  await waitFor(seen, 'watch-ok');
  while (seen.get('watch-ok').length < 3) await new Promise((r) => setTimeout(r, 50));
  const items = seen.get('watch-ok').slice(0, 3).map((msg) => msg.payload.Items[0]);
  assert.deepEqual(items, [1, 2, 3]);
  assert.equal(helper.getNode('watch').context().get('cursor'), seen.get('watch-ok').at(-1).payload.Cursor);
  assert.equal(seen.get('watch-fail').length, 0);
});

test('a trigger whose runs fail sends them to its failure output', async () => {
  const flow = [{ id: 'f1', type: 'tab' }, account,
    { id: 'watch', z: 'f1', type: 'fixture-counter-watch', account: 'acct', interval: 5, fields: {}, wires: [['watch-ok'], ['watch-fail']] },
    { id: 'watch-ok', z: 'f1', type: 'helper' }, { id: 'watch-fail', z: 'f1', type: 'helper' }];
  await helper.load(wfpNodes, flow, { acct: { token: 'bad' } });
  const failed = await waitFor(outputsOf(helper, ['watch']), 'watch-fail');
  assert.equal(failed.payload.OriginalStatusCode, 401);
});

test('an option source lists the choices with the chosen account, filtered as the descriptor says', async () => {
  await helper.load(wfpNodes, [account], good);
  const answer = await helper.request().post('/wfp/choices')
    .send({ type: 'fixture-echo-send', field: 'Color', account: 'acct', credentials: { token: '__PWRD__' } }).expect(200);
  assert.deepEqual(answer.body.choices, [{ value: '"r"', label: 'Red' }, { value: '"b"', label: 'Blue' }]);
  const unsaved = await helper.request().post('/wfp/choices')
    .send({ type: 'fixture-echo-send', field: 'Color', account: 'new-one', credentials: { token: 'bad' } }).expect(200);
  assert.match(unsaved.body.error, /token is wrong/);
});

test('the account Test button runs the credential test node', async () => {
  await helper.load(wfpNodes, [account], good);
  const ok = await helper.request().post('/wfp/test-account').send({ type: 'fixture-account', account: 'acct', credentials: {} }).expect(200);
  assert.deepEqual(ok.body, { ok: true, message: 'OK (200)' });
  const bad = await helper.request().post('/wfp/test-account').send({ type: 'fixture-account', credentials: { token: 'nope' } }).expect(200);
  assert.equal(bad.body.ok, false);
  assert.match(bad.body.message, /^401: the token is wrong/);
});

test("the plugin folder's icon is served where the editor asks for it", async () => {
  await helper.load(wfpNodes, [account], good);
  const icon = await helper.request().get('/wfp/icons/fixture.svg').expect(200);
  assert.match(String(icon.body), /<svg/);
  await helper.request().get('/wfp/icons/..%2Fpackage.json').expect(404);
});

test('closing a node cancels its run in flight; the message is dropped, not sent', async () => {
  const flow = [{ id: 'f1', type: 'tab' }, account,
    { id: 'wait', z: 'f1', type: 'fixture-wait', account: 'acct', fields: {}, wires: [['wait-ok'], ['wait-fail']] },
    { id: 'wait-ok', z: 'f1', type: 'helper' }, { id: 'wait-fail', z: 'f1', type: 'helper' }];
  await helper.load(wfpNodes, flow, good);
  const seen = outputsOf(helper, ['wait']);
  helper.getNode('wait').receive({ payload: {} });
  await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  await helper.unload();
  assert.ok(Date.now() - started < 2000, 'close waited for the 20 s run instead of cancelling it');
  assert.equal(seen.get('wait-ok').length + seen.get('wait-fail').length, 0);
});
