// The addon on its own: loading failures are JavaScript errors, descriptors carry the ABI 1.1
// fields, envelopes arrive from plugin threads, cancel and close end runs in flight, and closing
// leaves no plugin thread behind. Also the schema reader the editor uses (resources/wfp-schema.js).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const paths = require('./support/paths');
const addon = require(paths.addon);
const os = require('node:os');
const WfpSchema = require('../resources/wfp-schema.js');
const { locate } = require('../lib/locate');

const FIXTURE_DIR = paths.fixturePluginDir;
const FIXTURE_LIB = path.join(FIXTURE_DIR, 'libwfp_fixture.so');
const threads = () => fs.readdirSync('/proc/self/task').length;

function run(plugin, node, input, credentials = { token: 'good' }) {
  let id;
  const envelope = new Promise((resolve) => {
    id = plugin.start(node, JSON.stringify(input), JSON.stringify(credentials), (text) => resolve(JSON.parse(text)));
  });
  return { id, envelope };
}

test('a library that is missing or not a wfp plugin is a JavaScript error', () => {
  assert.throws(() => new addon.Plugin('/nonexistent/libnothing.so', '/nonexistent'), /cannot load \/nonexistent\/libnothing.so/);
  assert.throws(() => new addon.Plugin(paths.addon, '/'), /does not export wfp_get_entry_v1/);
  assert.throws(() => new addon.Plugin(), TypeError);
});

test('descriptors carry every field, the 1.1 ones included', () => {
  const plugin = new addon.Plugin(FIXTURE_LIB, FIXTURE_DIR);
  try {
    assert.equal(plugin.name, 'wfp-fixture');
    assert.equal(plugin.abiMinor, 1);
    const echo = plugin.nodes().find((n) => n.id === 'fixture.echo.send');
    assert.equal(echo.displayName, 'Send an Echo');
    assert.equal(echo.category, 'Fixture');
    assert.equal(echo.icon, 'icons/fixture.svg');
    assert.deepEqual(JSON.parse(echo.fieldOrderJson), ['Text', 'Color', 'Shout']);
    assert.equal(JSON.parse(echo.optionSourcesJson).Color.node, 'fixture.color.list');
    assert.equal(echo.credentialTestNode, 'fixture.whoami');
    assert.deepEqual(plugin.nodes().find((n) => n.id === 'fixture.counter.watch').flagNames, ['trigger', 'read_only']);
    assert.match(plugin.credentialsSchema('fixture.token'), /writeOnly/);
    assert.equal(plugin.credentialsSchema('nobody.knows'), null);
    // The plugin is initialised once per process: a second load says so instead of crashing.
    assert.throws(() => new addon.Plugin(FIXTURE_LIB, FIXTURE_DIR), /already initialised|refused \(5\)/);
  } finally {
    plugin.close();
  }
});

test('runs complete on plugin threads, many at once; cancel and close end the ones in flight', async () => {
  const before = threads();
  const plugin = new addon.Plugin(FIXTURE_LIB, FIXTURE_DIR);
  const echoes = Array.from({ length: 40 }, (_, i) => run(plugin, 'fixture.echo.send', { Text: `n${i}`, Shout: true }).envelope);
  assert.deepEqual((await Promise.all(echoes)).map((e) => e.Echo), Array.from({ length: 40 }, (_, i) => `N${i}`));
  assert.throws(() => plugin.start('fixture.nothing', '{}', '{}', () => {}), /no node has that id \(6\)/);

  const cancelled = run(plugin, 'fixture.wait', {});
  assert.equal(plugin.inFlight, 1);
  assert.equal(plugin.cancel(cancelled.id), true);
  assert.equal((await cancelled.envelope).ErrorMessage, 'cancelled');
  assert.equal(plugin.inFlight, 0);

  const closed = run(plugin, 'fixture.wait', {});
  plugin.close();
  assert.equal((await closed.envelope).StatusCode, 500);
  assert.equal(plugin.name, null);
  assert.throws(() => plugin.start('fixture.echo.send', '{}', '{}', () => {}), /closed/);
  plugin.close();  // idempotent
  assert.equal(threads(), before);
});

test('the schema reader finds the native widget and checks literals like the plugin', () => {
  const priority = { if: { type: ['string', 'null'] }, then: { type: ['string', 'null'], pattern: '^ *(?:0*(?:1|2))? *$' },
    else: { type: 'integer', oneOf: [{ enum: [1], title: 'Low' }, { enum: [2], title: 'Medium' }] }, default: 2, title: 'Priority' };
  const field = WfpSchema.fieldModel('Priority', priority, false);
  assert.equal(field.kind, 'choice');
  assert.deepEqual(field.choices, [{ value: '1', label: 'Low' }, { value: '2', label: 'Medium' }]);
  assert.deepEqual(WfpSchema.validate(priority, 2), []);
  assert.deepEqual(WfpSchema.validate(priority, ' 2 '), []);
  assert.deepEqual(WfpSchema.validate(priority, 7), ['must be one of Low, Medium']);
  const email = { type: 'string', maxLength: 255, pattern: '^[^ @]+@[^ @]+\\.[^ @]+$', examples: ['a@example.com'] };
  assert.deepEqual(WfpSchema.validate(email, 'not-an-email'), ['is not in the expected form (e.g. "a@example.com")']);
  const tags = { if: { type: ['string', 'null'] }, then: { type: ['string', 'null'] }, else: { type: 'array', maxItems: 1, items: { type: 'string' } } };
  assert.equal(WfpSchema.fieldModel('Tags', tags, false).kind, 'json');
  assert.deepEqual(WfpSchema.validate(tags, ['a', 'b']), ['has more than 1 items']);
  const language = { type: ['string', 'null'], if: { type: 'string', pattern: '^ *$' }, else: { maxLength: 3 } };
  assert.equal(WfpSchema.fieldModel('Language', language, false).kind, 'text');
  assert.deepEqual(WfpSchema.validate(language, 'long one'), ['is longer than 3 characters']);
});

test('a plugin folder whose library is not the one its package.json records is refused before loading', () => {
  const located = locate({ wfpPluginDir: paths.pluginDir });
  assert.equal(located.library, path.join(paths.pluginDir, located.manifest.wfp.library));
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-torn-'));
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(paths.pluginDir, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest));
    const whole = fs.readFileSync(located.library);
    fs.writeFileSync(path.join(folder, manifest.wfp.library), whole.subarray(0, whole.length >> 1));
    assert.throws(() => locate({ wfpPluginDir: folder }), /is not the library its package.json describes/);
    assert.throws(() => locate({ wfpPluginDir: path.join(folder, 'missing') }), /no wfp plugin folder/);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
