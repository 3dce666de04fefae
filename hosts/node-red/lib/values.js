// A run's input, from the node's form and the message. Each field is stored as {v, vt}: a
// literal (str, num, bool, json, or wfp-choice: a select's value as JSON text) or a reference
// Node-RED resolves (msg, flow, global, env). A field left blank takes msg.payload[<field>] when
// the payload is an object that has it, so nodes chain: a create's envelope carries TicketId to
// a get. Blank values are left out: the plugin applies its defaults.
'use strict';

const LITERALS = new Set(['str', 'num', 'json', 'bool', 'wfp-choice', 'date']);

function evaluate(RED, node, msg, setting) {
  if (setting.vt === 'wfp-choice') return Promise.resolve(JSON.parse(setting.v));
  return new Promise((resolve, reject) => {
    RED.util.evaluateNodeProperty(setting.v, setting.vt, node, msg, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

function isBlank(setting) {
  return !setting || !setting.vt || (LITERALS.has(setting.vt) && String(setting.v ?? '').trim() === '');
}

// Throws an Error naming the field when a value cannot be read (bad JSON, a failing reference).
async function buildInput(RED, node, fields, configured, msg) {
  const input = {};
  const payload = msg && msg.payload && typeof msg.payload === 'object' && !Array.isArray(msg.payload) ? msg.payload : {};
  for (const field of fields) {
    const setting = configured && configured[field.name];
    let value;
    if (!isBlank(setting)) {
      try {
        value = await evaluate(RED, node, msg, setting);
      } catch (err) {
        throw new Error(`${field.name}: cannot read ${setting.vt} ${JSON.stringify(setting.v)}: ${err.message}`);
      }
    } else if (Object.prototype.hasOwnProperty.call(payload, field.name)) {
      value = payload[field.name];
    }
    if (value !== undefined) input[field.name] = value;
  }
  return input;
}

// The credentials object the plugin gets, from a config node's encrypted credentials: blank
// values left out, numbers as numbers.
function credentialsObject(account, stored) {
  const credentials = {};
  for (const field of account.fields) {
    const raw = stored && stored[field.name];
    if (raw === undefined || raw === null || String(raw).trim() === '') continue;
    credentials[field.name] = field.kind === 'number' && !Number.isNaN(Number(raw)) ? Number(raw) : String(raw).trim();
  }
  return credentials;
}

module.exports = { buildInput, credentialsObject, isBlank };
