// The palette in Node-RED's editor, in a real browser (playwright-core driving Debian's
// chromium): a person drags "Create a Ticket" from the palette, fills its form, adds the
// account, deploys, clicks the inject button and reads the new ticket's id in the debug sidebar;
// and an invalid email is refused by the form. With the fixture plugin: a field with an option
// source becomes a select filled through the chosen account, and the account's Test button runs
// the credential test. Each test saves a screenshot in WFP_SCREENSHOTS.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startSandbox } = require('./support/sandbox');
const { startNodeRed } = require('./support/node-red');
const { launchBrowser } = require('./support/browser');
const { openEditor, dropFromPalette, wire, openNode, deploy } = require('./support/editor-page');

const paths = require('./support/paths');

const SCREENSHOTS = paths.screenshots;
let sandbox;
let red;
let browser;

before(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  [sandbox, red, browser] = await Promise.all([startSandbox(), startNodeRed(), launchBrowser()]);
});
after(async () => {
  if (browser) await browser.close();
  if (red) await red.stop();
  if (sandbox) await sandbox.stop();
});

async function newPage() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await openEditor(page, red.url);
  return { page, errors };
}

// The text box a person types a field's value into (typedInput hides the original input).
const field = (page, name) => page.locator(`.wfp-field[data-field="${name}"] input.red-ui-typedInput-input`);
const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

// The account dialog, opened from the node's form with the + next to the account select.
async function addAccount(page, credentials) {
  await page.click('#node-input-btn-account-add');
  await page.waitForSelector('#node-config-input-api_key', { state: 'visible' });
  await page.fill('#node-config-input-name', 'Sandbox');
  await page.fill('#node-config-input-domain', credentials.domain);
  await page.fill('#node-config-input-api_key', credentials.api_key);
  await page.fill('#node-config-input-base_url', credentials.base_url);
  await page.fill('#node-config-input-ca_file', credentials.ca_file);
  // The plugin's credential test node, run with what the dialog holds (nothing deployed yet).
  await page.click('#wfp-account-test');
  await page.locator('#wfp-account-test-result', { hasText: 'OK (200)' }).waitFor({ timeout: 15000 });
  await page.click('#node-config-dialog-ok');
  await page.waitForSelector('#node-config-input-api_key', { state: 'detached' });
}

test('create a ticket from the palette and read its id in the debug sidebar', async () => {
  const { page, errors } = await newPage();
  const inject = await dropFromPalette(page, 'inject', 120, 100);
  const create = await dropFromPalette(page, 'freshdesk-ticket-create', 360, 100);
  const debug = await dropFromPalette(page, 'debug', 620, 80);
  await wire(page, inject, 0, create);
  await wire(page, create, 0, debug);

  await openNode(page, create);
  await field(page, 'Subject').fill('Printer on fire');
  await field(page, 'Description').fill('Smoke from tray 2.');
  await field(page, 'Email').fill('ana@example.com');
  await addAccount(page, sandbox.credentials);
  await page.click('#node-dialog-ok');
  await deploy(page);

  await page.click('#red-ui-tab-debug-link-button');
  await page.locator(`[id="${inject}"] .red-ui-flow-node-button`).click();
  const message = page.locator('.red-ui-debug-msg').filter({ hasText: 'TicketId' }).first();
  await message.waitFor({ timeout: 20000 });
  const text = await message.innerText();
  const id = Number((text.match(/TicketId:\s*(\d+)/) || [])[1]);
  assert.ok(id > 0, `no ticket id in the debug message: ${text}`);
  assert.match(text, /StatusCode:\s*200/);
  await shot(page, 'create-ticket-debug');

  // Freshdesk (the sandbox) got the ticket as the form described it.
  const requests = await (await fetch(`${sandbox.credentials.control_url}/control/requests`)).json();
  const sent = requests.find((r) => r.method === 'POST' && r.path === '/api/v2/tickets');
  assert.ok(sent, 'the sandbox saw no ticket create');
  assert.equal(JSON.parse(sent.body).subject, 'Printer on fire');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the form refuses an invalid email', async () => {
  const { page, errors } = await newPage();
  const create = await dropFromPalette(page, 'freshdesk-ticket-create', 360, 260);
  await openNode(page, create);
  await field(page, 'Email').fill('not-an-email');
  await field(page, 'Email').blur();
  const row = page.locator('.wfp-field[data-field="Email"]');
  await assert.doesNotReject(row.locator('.red-ui-typedInput-container.input-error').waitFor());
  assert.match(await row.locator('.wfp-error').innerText(), /^Requester email is not in the expected form/);
  await shot(page, 'invalid-email');

  await page.click('#node-dialog-ok');
  // The node is marked invalid (the red triangle) and keeps the value for the person to fix.
  await page.locator(`[id="${create}"] .red-ui-flow-node-error`).waitFor({ state: 'visible' });
  assert.equal(await page.evaluate((id) => RED.nodes.node(id).valid, create), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an option source fills a select through the chosen account; the Test button says OK; a trigger polls', async () => {
  const fixtureRed = await startNodeRed({ env: { WFP_PLUGIN_DIR: paths.fixturePluginDir } });
  const page = await browser.context.newPage();
  try {
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await openEditor(page, fixtureRed.url);
    const echo = await dropFromPalette(page, 'fixture-echo-send', 360, 120);
    await openNode(page, echo);
    await page.click('#node-input-btn-account-add');
    await page.fill('#node-config-input-token', 'good');
    await page.click('#wfp-account-test');
    await page.locator('#wfp-account-test-result', { hasText: 'OK (200)' }).waitFor();
    await page.click('#node-config-dialog-ok');
    // The choices come from running List Colors with that account, filtered (Green is disabled).
    const color = page.locator('.wfp-field[data-field="Color"]');
    await page.locator('.wfp-field[data-field="Color"][data-wfp-choices="2"]').waitFor({ timeout: 10000 });
    await color.locator('.red-ui-typedInput-option-trigger').click();
    const offered = await page.locator('.red-ui-typedInput-options:visible a').allInnerTexts();
    assert.deepEqual(offered.map((t) => t.trim()), ['—', 'Red', 'Blue']);
    await page.locator('.red-ui-typedInput-options:visible a', { hasText: 'Blue' }).click();
    await shot(page, 'option-source');
    await page.click('#node-dialog-ok');
    assert.deepEqual(await page.evaluate((id) => RED.nodes.node(id).fields.Color, echo), { v: '"b"', vt: 'wfp-choice' });

    // A node flagged TRIGGER polls: no input port, an interval, its Cursor among the fields.
    const watch = await dropFromPalette(page, 'fixture-counter-watch', 360, 260);
    assert.equal(await page.locator(`[id="${watch}"] .red-ui-flow-port-input`).count(), 0);
    await openNode(page, watch);
    assert.equal(await page.inputValue('#node-input-interval'), '60');
    assert.equal(await page.locator('.wfp-field[data-field="Cursor"]').count(), 1);
    await page.click('#node-dialog-cancel');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await fixtureRed.stop();
  }
});
