//! `plancheck lsp`: a language server on stdio, for writing rules in an editor.
//!
//! Built on `lsp-server` (the message loop rust-analyzer uses) and `lsp-types`. Every feature
//! reads what the library already computes: the parser, the lints, the formatter and
//! coverage. The server analyses the in-memory text of each open `.plan` document together
//! with the other files of its folder and the plan's source, read from disk through the
//! library's file policy (`files.rs`). One file per feature family:
//! - `document.rs`: open documents, edits, and their analysis;
//! - `positions.rs`: byte offsets to protocol positions (UTF-16 or UTF-8);
//! - `diagnostics.rs`, `hover.rs`, `definition.rs`, `completion.rs`, `symbols.rs`,
//!   `actions.rs` (code actions and formatting).

mod actions;
mod completion;
mod definition;
mod diagnostics;
mod document;
mod hover;
pub mod positions;
mod symbols;

use document::Documents;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    OneOf, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
};
use positions::Encoding;

/// Runs the server until the client says `exit`; the exit code follows the protocol: 0 after a
/// `shutdown`, 1 otherwise.
pub fn run() -> u8 {
    let (connection, threads) = Connection::stdio();
    match serve(&connection) {
        Ok(()) => {
            drop(connection);
            match threads.join() {
                Ok(()) => 0,
                Err(_) => 1,
            }
        }
        Err(error) => {
            // The reader thread may still wait on stdin, so it is not joined: the process
            // exits and ends it.
            eprintln!("plancheck lsp: {error}");
            1
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn serve(connection: &Connection) -> Result<(), Failure> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let encoding = Encoding::negotiate(offered);
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "plancheck".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection.initialize_finish(id, result)?;
    let mut documents = Documents::new(encoding);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                // A request is answered on the text as it stands.
                publish(connection, &mut documents)?;
                let response = respond(&documents, request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                documents.notify(notification);
                // Typing sends a change per key: analyse once the queue is drained.
                if connection.receiver.is_empty() {
                    publish(connection, &mut documents)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// Analyses what changed and publishes the diagnostics of every document that may differ.
fn publish(connection: &Connection, documents: &mut Documents) -> Result<(), Failure> {
    for uri in documents.refresh() {
        let params = diagnostics::publish(documents, &uri);
        let note = Notification::new(
            lsp_types::notification::PublishDiagnostics::METHOD.into(),
            params,
        );
        connection.sender.send(Message::Notification(note))?;
    }
    Ok(())
}

/// The answer to one request; a request the server does not know, or whose parameters do not
/// parse, gets the protocol's error.
fn respond(documents: &Documents, request: Request) -> Response {
    use lsp_types::request::{
        CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition,
        HoverRequest,
    };
    let Request { id, method, params } = request;
    let result = match method.as_str() {
        HoverRequest::METHOD => answer(params, |p| hover::hover(documents, &p)),
        GotoDefinition::METHOD => answer(params, |p| definition::definition(documents, &p)),
        Completion::METHOD => answer(params, |p| completion::complete(documents, &p)),
        Formatting::METHOD => answer(params, |p| actions::format(documents, &p)),
        DocumentSymbolRequest::METHOD => answer(params, |p| symbols::symbols(documents, &p)),
        CodeActionRequest::METHOD => answer(params, |p| actions::actions(documents, &p)),
        _ => {
            return error(
                id,
                lsp_server::ErrorCode::MethodNotFound,
                format!("未知请求 {method}"),
            )
        }
    };
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err(message) => error(id, lsp_server::ErrorCode::InvalidParams, message),
    }
}

fn answer<P, R>(
    params: serde_json::Value,
    f: impl FnOnce(P) -> R,
) -> Result<serde_json::Value, String>
where
    P: serde::de::DeserializeOwned,
    R: serde::Serialize,
{
    let params = serde_json::from_value(params).map_err(|e| format!("请求参数无效：{e}"))?;
    serde_json::to_value(f(params)).map_err(|e| e.to_string())
}

fn error(id: RequestId, code: lsp_server::ErrorCode, message: String) -> Response {
    Response::new_err(id, code as i32, message)
}
