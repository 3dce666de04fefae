// Driving Node-RED's editor in a real browser the way a person does: drag from the palette,
// wire ports, open a node's dialog, deploy, read the debug sidebar.
'use strict';

async function openEditor(page, url) {
  await page.goto(url);
  await page.waitForSelector('.red-ui-palette-node[data-palette-type="inject"]', { timeout: 30000 });
  await page.waitForFunction(() => window.RED && RED.nodes && RED.workspaces.active());
}

async function center(locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 10, from.y + 5, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

// Drags a palette entry onto the workspace at (x, y) of the chart; returns the new node's id.
// It waits for an edit tray still sliding away, and drags again when a drop did not take (the
// palette can still be scrolling), as a person would.
async function dropFromPalette(page, type, x, y) {
  await page.waitForFunction(() => !document.querySelector('.red-ui-tray'));
  const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
  const ids = () => page.evaluate((t) => RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);
  const before = await ids();
  for (let attempt = 0; attempt < 3; ++attempt) {
    await entry.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    await drag(page, await center(entry), { x: chart.x + x, y: chart.y + y });
    const added = (await ids()).find((id) => !before.includes(id));
    if (added) return added;
  }
  throw new Error(`dragging ${type} from the palette added no node`);
}

// Wires output `port` of node `fromId` to the input of node `toId`.
async function wire(page, fromId, port, toId) {
  const from = page.locator(`[id="${fromId}"] .red-ui-flow-port-output`).nth(port);
  const to = page.locator(`[id="${toId}"] .red-ui-flow-port-input`);
  await drag(page, await center(from), await center(to));
}

async function openNode(page, id) {
  await page.locator(`[id="${id}"] .red-ui-flow-node`).dblclick();
  await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
}

async function deploy(page) {
  await page.click('#red-ui-header-button-deploy');
  await page.waitForSelector('.red-ui-notification:has-text("Successfully deployed")', { timeout: 20000 });
}

module.exports = { openEditor, dropFromPalette, wire, openNode, deploy, drag, center };
