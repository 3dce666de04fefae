// The editor side of the account config nodes (one per credential type): a form drawn from the
// credentials schema, every field a Node-RED credential (secrets as password fields), and a
// Test button that runs the plugin's credential test node when it names one.
/* global RED, $, WfpEditor */
(function () {
  'use strict';

  function template(account) {
    const rows = account.fields.map((field) => {
      const mark = field.required ? ' <span class="wfp-required" style="color:var(--red-ui-text-color-error)">*</span>' : '';
      const placeholder = field.example !== undefined ? ` placeholder="${WfpEditor.escapeHtml(field.example)}"` : '';
      return `<div class="form-row"><label for="node-config-input-${field.name}" title="${WfpEditor.escapeHtml(field.description)}">${WfpEditor.escapeHtml(field.title)}${mark}</label>` +
        `<input type="${field.secret ? 'password' : 'text'}" id="node-config-input-${field.name}"${placeholder}>` +
        `<div class="form-tips" style="margin:4px 0 0 105px">${WfpEditor.escapeHtml(field.description)}</div></div>`;
    }).join('');
    const test = account.testNode
      ? '<div class="form-row"><label></label><button type="button" class="red-ui-button" id="wfp-account-test"><i class="fa fa-plug"></i> Test</button> <span id="wfp-account-test-result"></span></div>'
      : '';
    return '<div class="form-row"><label for="node-config-input-name"><i class="fa fa-tag"></i> Name</label><input type="text" id="node-config-input-name"></div>' +
      rows + test;
  }

  function runTest(account, node) {
    const credentials = {};
    for (const field of account.fields) credentials[field.name] = $(`#node-config-input-${field.name}`).val();
    const result = $('#wfp-account-test-result').text('Testing…');
    $.ajax({ url: 'wfp/test-account', method: 'POST', contentType: 'application/json',
      data: JSON.stringify({ type: account.type, account: node.id, credentials }) })
      .done((answer) => result.text(answer.message).css('color', answer.ok ? '' : 'var(--red-ui-text-color-error)'))
      .fail((xhr) => result.text(`Test failed (${xhr.status})`));
  }

  function registerAccount(account) {
    $('<script type="text/html"></script>').attr('data-template-name', account.type).text(template(account)).appendTo('#red-ui-editor-node-configs');
    $('<script type="text/html"></script>').attr('data-help-name', account.type)
      .text(`<p>${WfpEditor.escapeHtml(account.description)}</p><p>Every field is stored in Node-RED's encrypted credentials: none appears in flows.json or in an exported flow.</p>`)
      .appendTo('#red-ui-editor-node-configs');
    const credentials = {};
    for (const field of account.fields) credentials[field.name] = { type: field.secret ? 'password' : 'text' };
    RED.nodes.registerType(account.type, {
      category: 'config',
      defaults: { name: { value: '' } },
      credentials,
      paletteLabel: account.label,
      label: function () { return this.name || account.label; },
      oneditprepare: function () {
        const node = this;
        $('#wfp-account-test').on('click', () => runTest(account, node));
      },
    });
  }

  window.WfpAccount = { registerAccount };
})();
