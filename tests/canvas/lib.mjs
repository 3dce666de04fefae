// Shared by the canvas tests: reads a plugin folder (package.json `wfp`) and says what a
// canvas and a runner would do with it. Node 18 compatible: no JSON import attributes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));

// The plugin folder: first argument, else $WFP_PLUGIN_DIR, else the build's.
export function pluginDir(argv = process.argv) {
  return path.resolve(argv[2] ?? process.env.WFP_PLUGIN_DIR ?? path.join(here, '..', '..', 'build', 'plugins', 'freshdesk'));
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

// { dir, pkg, nodes: [{ id, version, rules, schemas: { inputs, options, outputs }, files }], credentials }
export function loadPlugin(dir) {
  const pkg = readJson(path.join(dir, 'package.json'));
  if (!pkg.wfp || !Array.isArray(pkg.wfp.nodes)) throw new Error(`${dir}/package.json has no wfp.nodes`);
  const nodes = pkg.wfp.nodes.map((node) => {
    const files = {}, schemas = {};
    for (const part of ['inputs', 'options', 'outputs']) {
      files[part] = path.join(dir, node.schemas[part]);
      schemas[part] = readJson(files[part]);
    }
    return { ...node, rules: node.rules ?? [], schemas, files };
  });
  const credentials = pkg.wfp.credentials_schema
    ? { file: path.join(dir, pkg.wfp.credentials_schema), schema: readJson(path.join(dir, pkg.wfp.credentials_schema)) }
    : null;
  return { dir, pkg, nodes, credentials };
}

// The one form a canvas draws for a node: inputs and options side by side, inputs' required.
export function formSchema(node) {
  const { inputs, options } = node.schemas;
  return {
    type: 'object',
    properties: { ...inputs.properties, ...options.properties },
    required: [...(inputs.required ?? [])],
  };
}

// What the plugin checks: both parts at once, and no key the node does not know (the plugin
// refuses unknown fields, so additionalProperties:false belongs here, not in either part,
// where it would refuse the other part's fields).
export function runnerSchema(node) {
  const strip = ({ $schema, ...rest }) => rest;
  const names = Object.keys({ ...node.schemas.inputs.properties, ...node.schemas.options.properties });
  return {
    type: 'object',
    allOf: [strip(node.schemas.inputs), strip(node.schemas.options)],
    properties: Object.fromEntries(names.map((n) => [n, true])),
    additionalProperties: false,
  };
}

// null, whitespace-only text (the plugin's set: space \t \n \r \f \v) and {} mean "not given".
export function isBlank(value) {
  if (value === null) return true;
  if (typeof value === 'string') return /^[ \t\n\r\f\v]*$/.test(value);
  return typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}
const given = (input, field) => Object.prototype.hasOwnProperty.call(input, field) && !isBlank(input[field]);

// The texts of rule.field's items' rule.item_field (A[*].B), as the plugin reads them.
function itemTexts(rule, input) {
  const list = input[rule.field];
  if (!Array.isArray(list)) return [];
  return list.filter((item) => item && typeof item === 'object' && typeof item[rule.item_field] === 'string')
    .map((item) => item[rule.item_field]);
}

// A watch node's cursor: base64url (no padding) of {"v": 1, "t": integer, "ids": [integers]}.
function isCursor(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return false;
  try {
    const doc = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return doc !== null && doc.v === 1 && Number.isInteger(doc.t) && Array.isArray(doc.ids) && doc.ids.every(Number.isInteger);
  } catch {
    return false;
  }
}

// The decoded size of standard base64 text (length a multiple of 4, '=' only as the last one
// or two characters), or -1 when it is not base64.
export function base64Size(text) {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return -1;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

// A corpus: a JSON array of {node, input, plugin_refused}, or a folder of such files. An entry
// whose text is not a JSON value (input_text) is one no canvas can send: always refused.
export function loadCorpus(fileOrDir) {
  const files = fs.statSync(fileOrDir).isDirectory()
    ? fs.readdirSync(fileOrDir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(fileOrDir, f))
    : [fileOrDir];
  return files.flatMap((file) => readJson(file));
}

// The descriptor rules a schema cannot say (or says without a message). Each returns null
// when the input keeps the rule, else the rule's message.
export const ruleKinds = {
  // Dropping blanks is what the runner does first; see prepare().
  blank_means_absent: () => null,
  at_least_one: (rule, input) => (rule.fields.some((f) => given(input, f)) ? null : rule.message ?? `at least one of ${rule.fields.join(', ')}`),
  together: (rule, input) => {
    const n = rule.fields.filter((f) => given(input, f)).length;
    return n === 0 || n === rule.fields.length ? null : rule.message ?? `${rule.fields.join(' and ')} together`;
  },
  cursor: (rule, input) => (given(input, rule.field) && typeof input[rule.field] === 'string' && !isCursor(input[rule.field]) ? rule.message : null),
  not_with: (rule, input) => (given(input, rule.field) && rule.fields.some((f) => given(input, f)) ? rule.message : null),
  base64: (rule, input) => (itemTexts(rule, input).every((t) => base64Size(t) >= 0) ? null : rule.message),
  max_total_base64_bytes: (rule, input) =>
    itemTexts(rule, input).reduce((sum, t) => sum + Math.max(0, base64Size(t)), 0) <= rule.limit ? null : rule.message,
  // Only judged when both are given and are dates; a bad date is the schema's to refuse.
  ordered: (rule, input) => {
    if (!given(input, rule.before) || !given(input, rule.after)) return null;
    const before = Date.parse(input[rule.before]), after = Date.parse(input[rule.after]);
    if (Number.isNaN(before) || Number.isNaN(after)) return null;
    return after > before ? null : rule.message ?? `${rule.after} after ${rule.before}`;
  },
};

// The input as the runner validates it: with blank_means_absent, optional blank fields dropped.
export function prepare(node, input) {
  if (!node.rules.some((r) => r.kind === 'blank_means_absent') || !input || typeof input !== 'object' || Array.isArray(input)) return input;
  const required = new Set(node.schemas.inputs.required ?? []);
  const known = new Set(Object.keys({ ...node.schemas.inputs.properties, ...node.schemas.options.properties }));
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => !(known.has(k) && !required.has(k) && isBlank(v))));
}

export function ruleErrors(node, input) {
  const errors = [];
  for (const rule of node.rules) {
    const check = ruleKinds[rule.kind];
    if (!check) throw new Error(`${node.id}: unknown rule kind "${rule.kind}"; teach tests/canvas/lib.mjs`);
    const message = input && typeof input === 'object' && !Array.isArray(input) ? check(rule, input) : null;
    if (message) errors.push(message);
  }
  return errors;
}

// Runs fn with console.warn/log/error captured: Ajv's default logger is the console, and the
// tests must use `new Ajv()` exactly as an outside tester would, so the capture goes here.
export function captureConsole(fn) {
  const lines = [];
  const saved = { warn: console.warn, log: console.log, error: console.error };
  for (const k of Object.keys(saved)) console[k] = (...args) => lines.push(`${k}: ${args.join(' ')}`);
  try {
    return { value: fn(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    Object.assign(console, saved);
  }
}
