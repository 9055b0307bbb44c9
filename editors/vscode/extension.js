// Client glue only: start `plancheck lsp` on stdio for .plan files. Everything else (diagnostics,
// hover, completion, formatting, …) is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("plancheck").get("path") || "plancheck";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "plancheck",
    "plancheck",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "plan" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
