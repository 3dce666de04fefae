// `flowrun mcp` driven by the official MCP client (@modelcontextprotocol/sdk): every node is a
// tool whose schemas compile in stock Ajv, calls run against the embedded sandbox, bad
// arguments come back as tool errors and malformed JSON-RPC as protocol errors.
//
//   node --test mcp.test.mjs          FLOWRUN=path/to/flowrun (default ../../build/flowrun)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const flowrun = process.env.FLOWRUN ?? path.join(here, '../../build/flowrun');
// The nodes the plugin folder beside flowrun lists: every one must be a tool.
const catalogue = JSON.parse(fs.readFileSync(path.join(path.dirname(flowrun), 'plugins/freshdesk/package.json'), 'utf8')).wfp.nodes;

let client;
let stderr = '';
let tools;

before(async () => {
  // The SDK passes only a safe default environment: no FRESHDESK_* reaches flowrun, so it
  // starts its embedded sandbox.
  const transport = new StdioClientTransport({ command: flowrun, args: ['mcp'], stderr: 'pipe' });
  transport.stderr.on('data', (chunk) => { stderr += chunk; });
  client = new Client({ name: 'flowrun-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  tools = (await client.listTools()).tools;
});

after(async () => { await client?.close(); });

const tool = (name) => tools.find((t) => t.name === name);
const call = (name, args) => client.callTool({ name, arguments: args });

test('speaks the SDK protocol version and says it uses the embedded sandbox', () => {
  assert.equal(client.getServerVersion().name, 'flowrun');
  assert.match(stderr, /embedded Freshdesk sandbox/);
  assert.equal(LATEST_PROTOCOL_VERSION, '2025-11-25');
});

test('lists every node as a tool with its schemas and hints', () => {
  assert.deepEqual(tools.map((t) => t.name).sort(), catalogue.map((n) => n.id).sort());
  for (const t of tools) {
    assert.match(t.name, /^freshdesk\.[a-z_]+\.[a-z_]+$/);
    assert.ok(t.description.length > 20, t.name);
    assert.equal(t.inputSchema.type, 'object');
    assert.equal(t.inputSchema.additionalProperties, false, t.name);
    for (const name of t.inputSchema.required ?? []) assert.ok(name in t.inputSchema.properties, `${t.name} ${name}`);
    for (const secret of ['api_key', 'domain', 'base_url']) assert.ok(!(secret in t.inputSchema.properties), secret);
    assert.ok('StatusCode' in t.outputSchema.properties, t.name);
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint']) {
      assert.equal(typeof t.annotations[hint], 'boolean', `${t.name} ${hint}`);
    }
  }
  assert.deepEqual(Object.keys(tool('freshdesk.ticket.update').inputSchema.properties).slice(0, 2), ['TicketId', 'Subject']);
  assert.deepEqual(tool('freshdesk.ticket.update').inputSchema.required, ['TicketId']);
  const hints = (name) => tool(name).annotations;
  assert.deepEqual([hints('freshdesk.ticket.get').readOnlyHint, hints('freshdesk.ticket.get').destructiveHint], [true, false]);
  assert.deepEqual([hints('freshdesk.ticket.delete').destructiveHint, hints('freshdesk.ticket.delete').idempotentHint], [true, true]);
  assert.deepEqual([hints('freshdesk.ticket.create').readOnlyHint, hints('freshdesk.ticket.create').destructiveHint,
    hints('freshdesk.ticket.create').idempotentHint], [false, false, false]);
});

test('every input and output schema compiles in stock Ajv (strict) with no warning', () => {
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    const ajv = new Ajv();
    addFormats(ajv);
    for (const t of tools) {
      ajv.compile(t.inputSchema);
      ajv.compile(t.outputSchema);
    }
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
});

test('the input schema agrees with the node on the "at least one" rule', () => {
  const ajv = new Ajv();
  addFormats(ajv);
  const valid = ajv.compile(tool('freshdesk.contact.create').inputSchema);
  assert.equal(valid({ Name: 'Ana', Email: 'ana@example.com' }), true);
  assert.equal(valid({ Name: 'Ana' }), false, 'a contact needs a way to reach them');
  assert.equal(valid({ Name: 'Ana', Email: 'ana@example.com', api_key: 'x' }), false);
});

test('create, get and update a ticket against the sandbox', async () => {
  const created = await call('freshdesk.ticket.create',
    { Subject: 'From an agent', Description: 'Opened over MCP', Email: 'mcp@example.com' });
  assert.equal(created.isError, false, JSON.stringify(created));
  assert.equal(created.structuredContent.StatusCode, 200);
  assert.equal(created.structuredContent.OriginalStatusCode, 201);
  const id = created.structuredContent.TicketId;
  assert.ok(id > 0);
  assert.deepEqual(JSON.parse(created.content[0].text), created.structuredContent);

  const read = await call('freshdesk.ticket.get', { TicketId: id });
  assert.equal(read.isError, false);
  assert.equal(read.structuredContent.Ticket.subject, 'From an agent');

  const updated = await call('freshdesk.ticket.update', { TicketId: String(id), Status: 3 });
  assert.equal(updated.isError, false, JSON.stringify(updated.structuredContent));
  assert.equal(updated.structuredContent.Ticket.status, 3);
});

test('bad arguments come back as a tool error with the node\'s envelope', async () => {
  const refused = await call('freshdesk.ticket.get', { TicketId: 'abc' });
  assert.equal(refused.isError, true);
  assert.equal(refused.structuredContent.StatusCode, -1);
  assert.match(refused.structuredContent.ErrorMessage, /TicketId/);

  const secret = await call('freshdesk.ticket.get', { TicketId: 1, api_key: 'stolen' });
  assert.equal(secret.isError, true, 'credentials are never a tool argument');

  const missing = await call('freshdesk.ticket.get', { TicketId: 999999 });
  assert.equal(missing.isError, true);
  assert.equal(missing.structuredContent.OriginalStatusCode, 404);

  await assert.rejects(call('freshdesk.nothing', {}), (e) => e.code === -32602);
});

// The first line a child process prints on stdout.
function firstLine(stream) {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    stream.on('end', () => reject(new Error(`no line: ${text}`)));
  });
}

// With --credentials, or with the FRESHDESK_* variables, the tools reach that account (a
// separate `flowrun sandbox` here): no embedded sandbox, and the request is in its log.
test('credentials come from --credentials or the environment, never from a tool argument', async () => {
  const sandbox = spawn(flowrun, ['sandbox', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const line = await firstLine(sandbox.stdout);
    const account = JSON.parse(line);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-')), 'credentials.json');
    fs.writeFileSync(file, line);
    const env = { PATH: process.env.PATH };
    const ways = [
      { args: ['mcp', '--credentials', file], env },
      { args: ['mcp'], env: { ...env, FRESHDESK_BASE_URL: account.base_url, FRESHDESK_API_KEY: account.api_key,
                               FRESHDESK_CA_FILE: account.ca_file, FRESHDESK_DOMAIN: account.domain } },
    ];
    for (const [index, way] of ways.entries()) {
      const transport = new StdioClientTransport({ command: flowrun, args: way.args, env: way.env, stderr: 'pipe' });
      let said = '';
      transport.stderr.on('data', (chunk) => { said += chunk; });
      const other = new Client({ name: 'flowrun-mcp-credentials-test', version: '1.0.0' });
      await other.connect(transport);
      const subject = `Reached over MCP, way ${index}`;
      const created = await other.callTool({ name: 'freshdesk.ticket.create',
        arguments: { Subject: subject, Description: 'D', Email: 'mcp@example.com' } });
      await other.close();
      assert.equal(created.structuredContent.StatusCode, 200, JSON.stringify(created.structuredContent));
      assert.doesNotMatch(said, /embedded Freshdesk sandbox/, way.args.join(' '));
      const log = await (await fetch(`${account.control_url}/control/requests?since=0`)).text();
      assert.ok(log.includes(JSON.stringify(subject).slice(1, -1)), `the ticket reached the other sandbox (${way.args.join(' ')})`);
    }
  } finally {
    sandbox.kill('SIGTERM');
  }
});

// Raw lines, as a broken client might send them: every one answered, the server still up.
test('malformed JSON-RPC gets the protocol\'s error codes, never a crash', async () => {
  const server = spawn(flowrun, ['mcp'], { stdio: ['pipe', 'pipe', 'ignore'], env: { PATH: process.env.PATH } });
  const lines = [
    'not json',
    '[{"jsonrpc":"2.0","id":1,"method":"ping"}]',
    '{"jsonrpc":"1.0","id":2,"method":"ping"}',
    '{"jsonrpc":"2.0","id":3}',
    '{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}',
    '{"jsonrpc":"2.0","id":4,"method":"no/such"}',
    '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"arguments":{}}}',
    '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"freshdesk.ticket.get","arguments":[1]}}',
    '{"jsonrpc":"2.0","id":7,"method":"tools/list","params":"x"}',
    '{"jsonrpc":"2.0","method":"notifications/initialized"}',
    '{"jsonrpc":"2.0","id":8,"method":"ping"}',
  ];
  let out = '';
  server.stdout.on('data', (chunk) => { out += chunk; });
  server.stdin.end(lines.join('\n') + '\n');
  const code = await new Promise((resolve) => server.on('close', resolve));
  assert.equal(code, 0);
  const replies = out.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(replies.map((r) => [r.id, r.error?.code ?? 'ok']), [
    [null, -32700], [null, -32600], [2, -32600], [3, -32600], [null, -32600], [4, -32601],
    [5, -32602], [6, -32602], [7, -32602], [8, 'ok'],
  ]);
});
