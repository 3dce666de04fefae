// The palette's node types in Node-RED's runtime (node-red-node-test-helper), against
// `flowrun sandbox`: every type loads; a ticket goes through create -> get -> update -> list ->
// delete; bad input reaches the failure output with StatusCode -1; Watch Tickets, a polling
// trigger, delivers a ticket created after it started.
'use strict';
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
require('./support/paths');
const helper = require('node-red-node-test-helper');
const wfpNodes = require('../wfp.js');
const { startSandbox } = require('./support/sandbox');
const { outputsOf, waitFor } = require('./support/flow-tools');
const { locate } = require('../lib/locate');
const { openPlugin } = require('../lib/plugin-host');
const { typeName } = require('../lib/catalog');

helper.init(require.resolve('node-red'));

// Every node the plugin describes (the same loaded plugin the palette uses).
const TYPES = openPlugin(locate({}), console).plugin.nodes().map((d) => typeName(d.id));

let sandbox;
before(async () => {
  sandbox = await startSandbox();
  await helper.startServer();
});
after(async () => {
  await helper.stopServer();
  await sandbox.stop();
});
afterEach(() => helper.unload());

const account = () => ({ id: 'acct', type: 'freshdesk-account', name: 'sandbox' });
const accountCredentials = () => ({ acct: { ...sandbox.credentials } });
const literal = (v, vt = 'str') => ({ v: String(v), vt });
// A node of `type` on tab f1, wired to helper nodes `<id>-ok` and `<id>-fail` (and to `next`).
function stage(id, type, fields, next = []) {
  return [
    { id, z: 'f1', type, account: 'acct', fields, wires: [[`${id}-ok`, ...next], [`${id}-fail`]] },
    { id: `${id}-ok`, z: 'f1', type: 'helper' },
    { id: `${id}-fail`, z: 'f1', type: 'helper' },
  ];
}

test('every node type the plugin describes loads, with its account', async () => {
  assert.ok(TYPES.includes('freshdesk-ticket-create') && TYPES.length >= 10, TYPES.join(' '));
  const flow = [{ id: 'f1', type: 'tab' }, account(), ...TYPES.map((type, i) => ({ id: `n${i}`, z: 'f1', type, account: 'acct', fields: {}, wires: [[], []] }))];
  await helper.load(wfpNodes, flow, accountCredentials());
  TYPES.forEach((type, i) => assert.equal(helper.getNode(`n${i}`).type, type));
  assert.equal(helper.getNode('acct').credentials.api_key, sandbox.credentials.api_key);
});

test('a ticket goes through create, get, update, list and delete', async () => {
  const flow = [{ id: 'f1', type: 'tab' }, account(),
    ...stage('create', 'freshdesk-ticket-create', {
      Subject: literal('Printer on fire'), Description: literal('It is <b>very</b> hot.'), Email: literal('ana@example.com'),
      Priority: literal(3, 'wfp-choice'),
    }, ['get']),
    // TicketId left blank: it comes from the create's envelope in msg.payload.
    ...stage('get', 'freshdesk-ticket-get', {}, ['update']),
    ...stage('update', 'freshdesk-ticket-update', { TicketId: literal('payload.Ticket.id', 'msg'), Subject: literal('Printer cooled down') }, ['list', 'delete']),
    ...stage('list', 'freshdesk-ticket-get_many', { PerPage: literal(100, 'num') }),
    ...stage('delete', 'freshdesk-ticket-delete', { TicketId: literal('payload.Ticket.id', 'msg') })];
  await helper.load(wfpNodes, flow, accountCredentials());
  const seen = outputsOf(helper, ['create', 'get', 'update', 'list', 'delete']);
  helper.getNode('create').receive({ payload: 'go' });
  const deleted = await waitFor(seen, 'delete');

  const created = seen.get('create-ok')[0].payload;
  assert.equal(created.StatusCode, 200);
  assert.ok(created.TicketId > 0);
  assert.equal(seen.get('get-ok')[0].payload.Ticket.subject, 'Printer on fire');
  assert.equal(seen.get('get-ok')[0].payload.Ticket.priority, 3);
  assert.equal(seen.get('update-ok')[0].payload.Ticket.subject, 'Printer cooled down');
  assert.ok(seen.get('list-ok')[0].payload.Tickets.some((t) => t.id === created.TicketId));
  assert.equal(deleted.payload.StatusCode, 200);
  assert.equal(deleted.payload.ErrorMessage, '');
});

test('bad input reaches the failure output with StatusCode -1, and the badge says so', async () => {
  const flow = [{ id: 'f1', type: 'tab' }, account(), ...stage('get', 'freshdesk-ticket-get', { TicketId: literal('abc') })];
  await helper.load(wfpNodes, flow, accountCredentials());
  const seen = outputsOf(helper, ['get']);
  const node = helper.getNode('get');
  const badges = [];
  node.on('call:status', (call) => badges.push(call.args[0]));
  node.receive({ payload: {} });
  const failed = await waitFor(seen, 'get-fail');
  assert.equal(failed.payload.StatusCode, -1);
  assert.equal(failed.payload.OriginalStatusCode, 0);
  assert.match(failed.payload.ErrorMessage, /TicketId/);
  assert.equal(seen.get('get-ok').length, 0);
  await new Promise((r) => setImmediate(r));
  assert.equal(badges.at(-1).fill, 'red');
  assert.match(badges.at(-1).text, /^-1: TicketId/);
});

test('a field that cannot be read fails the message the same way', async () => {
  const flow = [{ id: 'f1', type: 'tab' }, account(), ...stage('get', 'freshdesk-ticket-get', { TicketId: literal('{nope', 'json') })];
  await helper.load(wfpNodes, flow, accountCredentials());
  const seen = outputsOf(helper, ['get']);
  helper.getNode('get').receive({ payload: {} });
  const failed = await waitFor(seen, 'get-fail');
  assert.equal(failed.payload.StatusCode, -1);
  assert.match(failed.payload.ErrorMessage, /^TicketId: cannot read json/);
});

test('Watch Tickets, a polling trigger, delivers a ticket created after it started', async () => {
  const flow = [{ id: 'f1', type: 'tab' }, account(),
    { id: 'watch', z: 'f1', type: 'freshdesk-ticket-watch', account: 'acct', interval: 0.5, fields: {}, wires: [['watch-ok'], ['watch-fail']] },
    { id: 'watch-ok', z: 'f1', type: 'helper' }, { id: 'watch-fail', z: 'f1', type: 'helper' },
    ...stage('create', 'freshdesk-ticket-create', { Subject: literal('Watched'), Description: literal('Seen by the trigger.'), Email: literal('eve@example.com') })];
  await helper.load(wfpNodes, flow, accountCredentials());
  const seen = outputsOf(helper, ['watch', 'create']);
  // The first poll starts "now" and brings nothing but a cursor, which the node keeps.
  const watch = helper.getNode('watch');
  for (let i = 0; i < 100 && !watch.context().get('cursor'); ++i) await new Promise((r) => setTimeout(r, 100));
  assert.ok(watch.context().get('cursor'), 'the trigger kept no cursor');
  assert.equal(seen.get('watch-ok').length, 0);
  helper.getNode('create').receive({ payload: 'go' });
  const created = (await waitFor(seen, 'create')).payload.TicketId;
  const delivered = await waitFor(seen, 'watch');
  assert.deepEqual(delivered.payload.Items.map((t) => t.id), [created]);
});
