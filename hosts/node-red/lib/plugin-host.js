// The loaded plugins of this process, shared by every load of this module (Node-RED loads it
// once, the test helper once per test): a plugin can be initialised once per process. Each is
// closed (deinit, unload) when the process exits.
'use strict';

const registry = Symbol.for('node-red-contrib-wfp.plugins');
const loaded = global[registry] || (global[registry] = new Map());

function closeAll() {
  for (const entry of loaded.values()) entry.plugin.close();
  loaded.clear();
}

function openPlugin(located, log) {
  const known = loaded.get(located.library);
  if (known) return known;
  let addon;
  try {
    addon = require(located.addon);
  } catch (err) {
    throw new Error(`cannot load the wfp addon ${located.addon} (build it with cmake, or set wfpAddon / WFP_ADDON): ${err.message}`);
  }
  const plugin = new addon.Plugin(located.library, located.pluginDir, {
    onLog: (level, message) => (log[['debug', 'info', 'warn', 'error'][level] || 'info'] || log.info)(`[wfp] ${message}`),
  });
  if (loaded.size === 0) process.once('exit', closeAll);
  const entry = { plugin, located };
  loaded.set(located.library, entry);
  return entry;
}

// The envelope a run that never reached the plugin ends in, shaped like the plugin's own.
function hostEnvelope(message) {
  return { OriginalStatusCode: 0, StatusCode: -1, ErrorMessage: message };
}

function parseEnvelope(text) {
  try {
    const envelope = JSON.parse(text);
    if (envelope && typeof envelope === 'object') return envelope;
  } catch (err) {
    // fall through
  }
  return { OriginalStatusCode: 0, StatusCode: 500, ErrorMessage: 'the plugin answered something that is not a JSON object' };
}

// Starts a run. Returns { id, envelope: Promise<object> }; the promise always resolves, with a
// host envelope when the plugin refused to start the run.
function startRun(plugin, nodeId, input, credentials, onProgress) {
  let resolve;
  const envelope = new Promise((r) => { resolve = r; });
  try {
    const id = plugin.start(nodeId, JSON.stringify(input), JSON.stringify(credentials),
      (text) => resolve(parseEnvelope(text)), onProgress);
    return { id, envelope };
  } catch (err) {
    resolve(hostEnvelope(err.message));
    return { id: null, envelope };
  }
}

function succeeded(envelope) {
  return envelope.StatusCode === 200 && (envelope.ErrorMessage === '' || envelope.ErrorMessage === undefined);
}

module.exports = { openPlugin, closeAll, startRun, hostEnvelope, succeeded };
