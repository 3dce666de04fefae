// The palette's view of a plugin, built from its descriptors alone: one entry per node (its
// Node-RED type name, form fields, outputs, flags) and one per credential type (the config node).
// Nothing here knows any particular node; the same entries feed the runtime and the editor.
'use strict';
const path = require('node:path');
const { fieldModel } = require('../resources/wfp-schema.js');

const TRIGGER = 0x8;

function parseJson(text, fallback, what) {
  if (!text) return fallback;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not JSON: ${err.message}`);
  }
}

// "freshdesk.ticket.create" -> "freshdesk-ticket-create"
function typeName(nodeId) {
  return nodeId.replace(/[^A-Za-z0-9_]+/g, '-');
}

// "freshdesk.api_key" -> "freshdesk-account"
function accountTypeName(credentialType) {
  return `${credentialType.split('.')[0].replace(/[^A-Za-z0-9_]+/g, '-') || 'wfp'}-account`;
}

// A pastel per category, so a plugin's nodes share a colour.
function colourOf(category) {
  const colours = ['#A6E3B8', '#C7D8F2', '#F3D9A4', '#E7C6E8', '#BFE6E3', '#F2C4B8'];
  let hash = 0;
  for (const c of category) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return colours[hash % colours.length];
}

function formFields(d) {
  const inputs = parseJson(d.inputsSchema, {}, `${d.id}: inputs schema`);
  const options = parseJson(d.optionsSchema, {}, `${d.id}: options schema`);
  const properties = { ...(options.properties || {}), ...(inputs.properties || {}) };
  const required = new Set(inputs.required || []);
  const order = parseJson(d.fieldOrderJson, [], `${d.id}: field order`);
  // A plugin of ABI 1.0 has no field order: inputs first, then options, as the schemas list them.
  const names = [...new Set([...order, ...Object.keys(inputs.properties || {}), ...Object.keys(options.properties || {})])];
  const sources = parseJson(d.optionSourcesJson, {}, `${d.id}: option sources`);
  const fields = names.filter((name) => properties[name]).map((name) => {
    const field = fieldModel(name, properties[name], required.has(name));
    if (sources[name]) field.source = sources[name];
    return field;
  });
  return { fields, examples: inputs.examples || [] };
}

function outputFields(d) {
  const outputs = parseJson(d.outputsSchema, {}, `${d.id}: outputs schema`);
  return Object.entries(outputs.properties || {}).map(([name, schema]) => ({
    name, description: schema.description || schema.title || '', list: [].concat(schema.type || []).includes('array'),
  }));
}

function nodeEntry(d) {
  const category = d.category || 'wfp';
  return {
    type: typeName(d.id),
    id: d.id,
    version: d.version,
    label: d.displayName,
    subtitle: d.subtitle,
    description: d.description,
    category,
    colour: colourOf(category),
    icon: d.icon ? path.basename(d.icon) : '',  // served by admin.js from the plugin folder
    flags: d.flagNames,
    trigger: (d.flags & TRIGGER) !== 0,
    accountType: accountTypeName(d.credentialType),
    ...formFields(d),
    rules: parseJson(d.rulesJson, [], `${d.id}: rules`),
    outputs: outputFields(d),
  };
}

function accountEntry(credentialType, schemaText, testNode) {
  const schema = parseJson(schemaText, {}, `credentials schema of ${credentialType}`);
  const required = new Set(schema.required || []);
  const fields = Object.entries(schema.properties || {}).map(([name, property]) => ({
    ...fieldModel(name, property, required.has(name)),
    secret: property.writeOnly === true,
  }));
  return {
    type: accountTypeName(credentialType),
    credentialType,
    label: schema.title || credentialType,
    description: schema.description || '',
    fields,
    testNode: testNode || '',
  };
}

// descriptors: what plugin.nodes() returns; credentialsSchema(type): its schema text or null.
function buildCatalog(descriptors, credentialsSchema) {
  const nodes = descriptors.map((d) => nodeEntry(d));
  const accounts = [];
  for (const d of descriptors) {
    if (accounts.some((a) => a.credentialType === d.credentialType)) continue;
    // The first credential test a node of this type names (the plugin usually names one for all).
    const tester = descriptors.find((other) => other.credentialType === d.credentialType && other.credentialTestNode);
    accounts.push(accountEntry(d.credentialType, credentialsSchema(d.credentialType), tester && tester.credentialTestNode));
  }
  // The plugin's icon files, by the name the editor asks for (wfp/icons/<file>).
  const icons = {};
  for (const d of descriptors) if (d.icon) icons[path.basename(d.icon)] = d.icon;
  return { nodes, accounts, icons };
}

module.exports = { buildCatalog, typeName, accountTypeName };
