// Node-RED as a user runs it: a temporary user folder with this palette installed the way
// palettes are (npm install <path>, which links the folder), started on a free loopback port,
// stopped (and the folder removed) after the test.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
const RED_JS = path.join(PACKAGE_DIR, 'node_modules', 'node-red', 'red.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

// A settings.js that keeps the editor off the network: no palette catalogue, no update
// notifications or tours.
function writeSettings(userDir, port, extra) {
  const settings = {
    uiHost: '127.0.0.1', uiPort: port, credentialSecret: 'wfp-test-secret', flowFile: 'flows.json',
    telemetry: { enabled: false },
    editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
    logging: { console: { level: 'warn' } },
    ...extra,
  };
  fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
}

function install(userDir) {
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-user', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', PACKAGE_DIR], { cwd: userDir, stdio: 'pipe' });
}

async function waitForEditor(url, child, output) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Node-RED exited (${child.exitCode}):\n${output.join('')}`);
    try {
      if ((await fetch(`${url}settings`)).ok) return;
    } catch (err) {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Node-RED did not answer within 30 s:\n${output.join('')}`);
}

// options: { env, settings, flows } -> { url, userDir, output, stop() }
async function startNodeRed(options = {}) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wfp-node-red-'));
  const port = await freePort();
  writeSettings(userDir, port, options.settings);
  install(userDir);
  if (options.flows) fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(options.flows));
  const output = [];
  const child = spawn(process.execPath, [RED_JS, '--userDir', userDir], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  try {
    await waitForEditor(url, child, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, userDir, output, child, stop };
}

module.exports = { startNodeRed, freePort, PACKAGE_DIR };
