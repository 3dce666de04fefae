// The editor side of the wfp palette: registers, in the browser, one node type per catalog
// entry (the catalog arrives as an exported node setting, RED.settings.<account type>WfpCatalog)
// and draws each edit dialog from the entry's fields. Every field is a typedInput: a literal of
// the field's own kind (text, number, checkbox, select, JSON) or msg./flow./global./env./JSON/
// number, so a flow can map an incoming payload into the node. Literals are checked against the
// field's schema as they are typed (WfpSchema.validate), and the node is marked invalid when one
// does not pass.
/* global RED, $, WfpSchema */
(function () {
  'use strict';

  const CHOICE = 'wfp-choice';
  const REFERENCES = ['msg', 'flow', 'global', 'env', 'json', 'num', 'str'];

  function escapeHtml(text) {
    return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function findCatalog() {
    const key = Object.keys(RED.settings).find((name) => /WfpCatalog$/.test(name));
    return key ? RED.settings[key] : null;
  }

  // --- literals ------------------------------------------------------------------------------

  function literalType(field) {
    // A select filled from the remote system (loadChoices); a JSON object whose keys come from
    // there (custom fields) stays JSON and lists the keys under it.
    if (field.source && field.kind !== 'json') return CHOICE;
    return { choice: CHOICE, boolean: 'bool', number: 'num', json: 'json' }[field.kind] || 'str';
  }

  function literalText(field, value) {
    if (field.kind === 'text' || field.kind === 'datetime') return String(value);
    return field.kind === 'choice' || field.kind === 'json' ? JSON.stringify(value) : String(value);
  }

  // The stored form of a new node: each field with a schema default, as a literal.
  function defaultFields(entry) {
    const fields = {};
    for (const field of entry.fields) {
      if (field.default !== undefined) fields[field.name] = { v: literalText(field, field.default), vt: literalType(field) };
    }
    return fields;
  }

  // A literal's value, or {blank} / {error}. References (msg., flow., ...) are not checked here.
  function readLiteral(vt, v) {
    if (!['str', 'num', 'bool', 'json', CHOICE].includes(vt)) return { reference: true };
    if (String(v ?? '').trim() === '') return { blank: true };
    if (vt === 'str') return { value: v };
    if (vt === 'num') return Number.isNaN(Number(v)) ? { error: 'is not a number' } : { value: Number(v) };
    if (vt === 'bool') return { value: v === 'true' };
    try {
      return { value: JSON.parse(v) };
    } catch (err) {
      return { error: 'is not valid JSON' };
    }
  }

  // The first problem of one stored field, as "Title is ...", or null.
  function fieldProblem(field, setting) {
    if (!setting) return null;
    const literal = readLiteral(setting.vt, setting.v);
    if (literal.reference || literal.blank) return null;
    const errors = literal.error ? [literal.error] : WfpSchema.validate(field.schema, literal.value);
    return errors.length ? `${field.title} ${errors[0]}` : null;
  }

  function nodeProblem(entry, fields) {
    for (const field of entry.fields) {
      const problem = fieldProblem(field, fields && fields[field.name]);
      if (problem) return problem;
    }
    return true;
  }

  // --- help ----------------------------------------------------------------------------------

  function helpHtml(entry) {
    const kinds = { text: 'string', datetime: 'date-time', number: 'number', boolean: 'boolean', choice: 'choice', json: 'JSON' };
    const inputs = entry.fields.map((f) => `<dt${f.required ? '' : ' class="optional"'}>${escapeHtml(f.name)} <span class="property-type">${kinds[f.kind]}</span></dt>` +
      `<dd>${escapeHtml(f.title)}${f.required ? ' (required)' : ''}. ${escapeHtml(f.description)}</dd>`).join('');
    const outputs = entry.outputs.map((o) => `<dt>${escapeHtml(o.name)}</dt><dd>${escapeHtml(o.description)}</dd>`).join('');
    const rules = entry.rules.map((r) => `<li>${escapeHtml(r.message)}</li>`).join('');
    return `<p>${escapeHtml(entry.subtitle)}</p><p>${escapeHtml(entry.description)}</p>` +
      '<h3>Inputs</h3><p>Each field is a literal or taken from <code>msg</code>, flow, global or env. A field left blank takes <code>msg.payload.&lt;Field&gt;</code> when the payload has it.</p>' +
      `<dl class="message-properties">${inputs}</dl>${rules ? `<h3>Rules</h3><ul>${rules}</ul>` : ''}` +
      '<h3>Outputs</h3><ol class="node-ports"><li>Success: <code>StatusCode</code> 200 and no <code>ErrorMessage</code></li><li>Failure: anything else</li></ol>' +
      `<p><code>msg.payload</code> is the run's envelope:</p><dl class="message-properties">${outputs}</dl>`;
  }

  // --- the form ------------------------------------------------------------------------------

  const LABEL = 'width:160px';
  const BELOW = 'margin:3px 0 0 164px;font-size:0.9em';

  function fieldRow(field) {
    const id = `node-input-wfp-${field.name}`;
    const mark = field.required ? ' <span class="wfp-required" title="required" style="color:var(--red-ui-text-color-error)">*</span>' : '';
    return $(`<div class="form-row wfp-field" data-field="${escapeHtml(field.name)}">` +
      `<label for="${id}" title="${escapeHtml(field.description)}" style="${LABEL}">${escapeHtml(field.title)}${mark}</label>` +
      `<input type="text" id="${id}" style="width:calc(100% - 170px)">` +
      `<div class="wfp-help" style="${BELOW};color:var(--red-ui-secondary-text-color)">${escapeHtml(field.description)}</div>` +
      `<div class="wfp-error" style="${BELOW};color:var(--red-ui-text-color-error)"></div></div>`);
  }

  // A select starts with a blank choice: otherwise typedInput shows (and saves) the first one,
  // and a field nobody touched would send a value nobody picked.
  const BLANK = { value: '', label: '—' };

  function typesFor(field, choices) {
    const literal = literalType(field);
    const first = literal === CHOICE ? { value: CHOICE, label: 'choice', icon: 'fa fa-list', options: [BLANK, ...(choices || field.choices || [])] } : literal;
    return [first, ...REFERENCES.filter((t) => t !== literal)];
  }

  function showProblem(row, input, field) {
    const problem = fieldProblem(field, { v: input.typedInput('value'), vt: input.typedInput('type') });
    row.find('.wfp-error').text(problem || '');
    row.find('.red-ui-typedInput-container').toggleClass('input-error', Boolean(problem));
  }

  function drawField(container, field, setting) {
    const row = fieldRow(field).appendTo(container);
    const input = row.find('input');
    // Until an option source has answered, its select offers the stored value alone.
    const initial = field.source ? (setting && setting.vt === CHOICE ? [{ value: setting.v, label: setting.v }] : []) : null;
    input.typedInput({ default: literalType(field), types: typesFor(field, initial) });
    if (setting) {
      input.typedInput('type', setting.vt);
      input.typedInput('value', setting.v);
    }
    input.on('change', () => showProblem(row, input, field));
    showProblem(row, input, field);
    return { field, row, input };
  }

  // An option source: the select is filled by running the list node with the chosen account.
  function loadChoices(entry, drawn) {
    const accountId = $('#node-input-account').val();
    const account = accountId && RED.nodes.node(accountId);
    const status = drawn.row.find('.wfp-help');
    if (!account) return status.text('Choose an account to list the choices.');
    status.text('Loading choices…');
    $.ajax({ url: 'wfp/choices', method: 'POST', contentType: 'application/json',
      data: JSON.stringify({ type: entry.type, field: drawn.field.name, account: accountId, credentials: account.credentials || {} }) })
      .done((answer) => {
        const choices = answer.choices || [];
        drawn.row.attr('data-wfp-choices', choices.length);
        if (answer.error) return status.text(`Could not list the choices: ${answer.error}`);
        if (drawn.field.kind === 'json') {
          const names = choices.map((c) => `${JSON.parse(c.value)} (${c.label})`).join(', ');
          return status.text(`${drawn.field.description} ${names ? `This account has: ${names}.` : ''}`);
        }
        const value = drawn.input.typedInput('value');
        const type = drawn.input.typedInput('type');
        // A stored value the list no longer has stays, marked, rather than being swapped silently.
        const kept = type === CHOICE && value !== '' && !choices.some((c) => c.value === value);
        drawn.input.typedInput('types', typesFor(drawn.field, kept ? [...choices, { value, label: `${value} (not listed)` }] : choices));
        drawn.input.typedInput('type', type);
        drawn.input.typedInput('value', value);
        status.text(drawn.field.description);
      })
      .fail((xhr) => status.text(`Could not list the choices (${xhr.status})`));
  }

  function prepareForm(entry, node) {
    const container = $('#wfp-fields').empty();
    if ((entry.flags || []).includes('destructive')) {
      container.append('<div class="form-tips" style="margin-bottom:12px"><i class="fa fa-warning"></i> This node deletes data in the remote system.</div>');
    }
    node._wfpDrawn = entry.fields.map((field) => drawField(container, field, (node.fields || {})[field.name]));
    const sourced = node._wfpDrawn.filter((d) => d.field.source);
    if (sourced.length) {
      const reload = () => sourced.forEach((d) => loadChoices(entry, d));
      $('#node-input-account').on('change', reload);
      reload();
    }
  }

  function saveForm(node) {
    const fields = {};
    for (const { field, input } of node._wfpDrawn || []) {
      const setting = { v: input.typedInput('value'), vt: input.typedInput('type') };
      if (!readLiteral(setting.vt, setting.v).blank) fields[field.name] = setting;
    }
    node.fields = fields;
    delete node._wfpDrawn;
  }

  function template(entry) {
    const interval = entry.trigger
      ? `<div class="form-row"><label for="node-input-interval" style="${LABEL}"><i class="fa fa-clock-o"></i> Poll every (s)</label><input type="text" id="node-input-interval" style="width:80px"></div>`
      : '';
    return `<div class="form-row"><label for="node-input-name" style="${LABEL}"><i class="fa fa-tag"></i> Name</label><input type="text" id="node-input-name" style="width:calc(100% - 170px)"></div>` +
      `<div class="form-row"><label for="node-input-account" style="${LABEL}"><i class="fa fa-user"></i> Account</label><input type="text" id="node-input-account"></div>` +
      `${interval}<div id="wfp-fields"></div>`;
  }

  function appendScript(attribute, name, html) {
    $(`<script type="text/html" ${attribute}="${escapeHtml(name)}"></script>`).text(html).appendTo('#red-ui-editor-node-configs');
  }

  function registerNode(entry) {
    appendScript('data-template-name', entry.type, template(entry));
    appendScript('data-help-name', entry.type, helpHtml(entry));
    const defaults = {
      name: { value: '' },
      account: { value: '', type: entry.accountType, required: true },
      fields: { value: defaultFields(entry), validate: function (v) { return nodeProblem(entry, v); } },
    };
    if (entry.trigger) defaults.interval = { value: 60, required: true, validate: RED.validators.number() };
    RED.nodes.registerType(entry.type, {
      category: entry.category,
      color: entry.colour,
      defaults,
      inputs: entry.trigger ? 0 : 1,
      outputs: 2,
      outputLabels: ['success', 'failure'],
      icon: 'font-awesome/fa-plug',  // shown only where useIcons() cannot serve the plugin's own
      wfpIcon: entry.icon,
      paletteLabel: entry.label,
      label: function () { return this.name || entry.label; },
      labelStyle: function () { return this.name ? 'node_label_italic' : ''; },
      oneditprepare: function () { prepareForm(entry, this); },
      oneditsave: function () { saveForm(this); },
      oneditcancel: function () { delete this._wfpDrawn; },
    });
  }

  // Node-RED draws a node type's icon only from the icon folders its registry scanned at start;
  // a plugin's icon lives in the plugin folder (served at wfp/icons/<file>). Every part of the
  // editor asks RED.utils.getNodeIcon for a node's icon, so answer there for these node types,
  // unless a person picked another icon for a node.
  function useIcons() {
    const original = RED.utils.getNodeIcon;
    if (original.wfp) return;
    RED.utils.getNodeIcon = function (def, node) {
      if (def && def.wfpIcon && !(node && node.icon)) return `${RED.settings.apiRootUrl || ''}wfp/icons/${encodeURIComponent(def.wfpIcon)}`;
      return original.apply(this, arguments);
    };
    RED.utils.getNodeIcon.wfp = true;
  }

  window.WfpEditor = { useIcons,  findCatalog, registerNode, helpHtml, defaultFields, readLiteral, fieldProblem, escapeHtml };
})();
