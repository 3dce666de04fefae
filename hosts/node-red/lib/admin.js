// The editor's endpoints on Node-RED's admin app:
//   GET  wfp/status               the plugin loaded, and its runs in flight (for operators and tests)
//   GET  wfp/icons/<file>         the plugin folder's icons
//   POST wfp/choices              runs an option source's list node with an account -> [{value, label}]
//   POST wfp/test-account         runs the account type's credential test node -> {ok, message}
// The editor sends what it holds of an account's credentials (a config node not deployed yet,
// or just edited); the server fills in what it has stored, so secrets need not travel back.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startRun, succeeded } = require('./plugin-host');
const { credentialsObject } = require('./values');

// A dot path into a run's outputs, as option sources write them: "Agents", "contact.name", and
// with a selector on a list, "Fields[default=false]" or "Fields[name=ticket_type].choices"
// (wfp_plugin.h describes the selector under option_sources_json).
// A path through a list is followed into each item, and the results are flattened.
function dig(value, dotted) {
  let current = value;
  for (const step of String(dotted || '').split('.').filter(Boolean)) {
    const [, key, field, wanted] = step.match(/^([^[]*)(?:\[([^=\]]+)=([^\]]*)\])?$/) || [null, step];
    const next = (item) => (item == null ? undefined : key ? item[key] : item);
    current = Array.isArray(current) ? current.flatMap((item) => next(item) ?? []) : next(current);
    if (field !== undefined && Array.isArray(current)) current = current.filter((item) => item && String(item[field]) === wanted);
  }
  return current;
}

function mergedCredentials(RED, account, body) {
  const stored = (body.account && RED.nodes.getCredentials(body.account)) || {};
  const sent = body.credentials && typeof body.credentials === 'object' ? body.credentials : {};
  const merged = { ...stored };
  for (const [name, value] of Object.entries(sent)) if (value !== '__PWRD__' && value !== undefined) merged[name] = value;
  return credentialsObject(account, merged);
}

// An option source's items as choices; values are JSON text, as the form stores a select's value.
function choicesFrom(envelope, source) {
  const items = dig(envelope, source.items);
  if (!Array.isArray(items)) return [];
  const filter = source.filter && typeof source.filter === 'object' ? Object.entries(source.filter) : [];
  return items
    .filter((item) => filter.every(([key, wanted]) => JSON.stringify(dig(item, key)) === JSON.stringify(wanted)))
    .map((item) => ({ value: JSON.stringify(dig(item, source.value)), label: String(dig(item, source.label ?? source.value)) }));
}

const ICON_TYPES = { '.svg': 'image/svg+xml', '.png': 'image/png' };

// Public like Node-RED's own icons: the editor loads them with <img>, which sends no token.
function serveIcons(RED, catalog, pluginDir) {
  RED.httpAdmin.get('/wfp/icons/:file', (req, res) => {
    const relative = catalog.icons[req.params.file];
    const file = relative && path.resolve(pluginDir, relative);
    if (!file || !file.startsWith(pluginDir + path.sep) || !fs.existsSync(file)) return res.status(404).end();
    res.set('Content-Type', ICON_TYPES[path.extname(file)] || 'application/octet-stream');
    fs.createReadStream(file).pipe(res);
  });
}

function registerAdmin(RED, catalog, plugin, pluginDir) {
  serveIcons(RED, catalog, pluginDir);
  const canWrite = RED.auth.needsPermission('flows.write');
  const accountOf = (type) => catalog.accounts.find((a) => a.type === type);

  RED.httpAdmin.get('/wfp/status', RED.auth.needsPermission('flows.read'), (req, res) => {
    res.json({ plugin: plugin.name, version: plugin.version, pluginDir, nodeTypes: catalog.nodes.length, inFlight: plugin.inFlight });
  });

  RED.httpAdmin.post('/wfp/choices', canWrite, async (req, res) => {
    const body = req.body || {};
    const node = catalog.nodes.find((n) => n.type === body.type);
    const source = node && (node.fields.find((f) => f.name === body.field) || {}).source;
    if (!source) return res.status(404).json({ error: 'no option source for that field' });
    const lister = catalog.nodes.find((n) => n.id === source.node);
    const account = accountOf(lister ? lister.accountType : node.accountType);
    const envelope = await startRun(plugin, source.node, {}, mergedCredentials(RED, account, body)).envelope;
    if (!succeeded(envelope)) return res.json({ error: envelope.ErrorMessage || `StatusCode ${envelope.StatusCode}`, choices: [] });
    res.json({ choices: choicesFrom(envelope, source) });
  });

  RED.httpAdmin.post('/wfp/test-account', canWrite, async (req, res) => {
    const body = req.body || {};
    const account = accountOf(body.type);
    if (!account || !account.testNode) return res.status(404).json({ error: 'no credential test for that account type' });
    const envelope = await startRun(plugin, account.testNode, {}, mergedCredentials(RED, account, body)).envelope;
    const ok = succeeded(envelope);
    res.json({ ok, message: ok ? `OK (${envelope.OriginalStatusCode})` : `${envelope.OriginalStatusCode || envelope.StatusCode}: ${envelope.ErrorMessage}` });
  });
}

module.exports = { registerAdmin, choicesFrom, dig };
