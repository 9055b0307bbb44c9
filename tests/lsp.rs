//! `plancheck lsp` driven over stdio with JSON-RPC messages, as an editor drives it: a plan
//! with errors is opened, edited, hovered, completed and formatted, and every position is
//! checked on lines of Chinese text, one with 𠮷 (two UTF-16 code units, four bytes), in the
//! protocol's UTF-16 and in UTF-8 when the client offers it.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

const SOURCE: &str = "\
四、聚力降碳减污扩绿，厚植绿色发展底色
32.深入推进环境污染防治。受污染耕地安全利用率稳定在91%以上，新增城镇就业4000人以上，力争完成超低排放改造10家。（牵头单位：区生态环境分局、区水务局）
";

/// Read from disk: the open document's metric reference points into it.
const OTHER: &str = r#"task 1 "统计工作" {
    lead 区统计局
    track 地区生产总值增速 %
}
"#;

/// A unit that is not one, a line that does not parse and a quote that is not in the source.
const OPENED: &str = r#"plan "测试计划" {
    period 2023
    source "source.txt"
}

section 四 "聚力降碳减污扩绿"

task 32 "深入推进环境污染防治" {
    lead 区生态环境分局, 区水务局
    确保 受污染耕地安全利用率 >= 91%
        from "受污染耕地安全利用率稳定在91%以上"
    𠮷新增城镇就业 >= 4000 人次元
    新增就业增速 > 
      from "原文里没有的话"
}
"#;

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    /// Notifications read while waiting for a response.
    published: Vec<Value>,
}

impl Server {
    fn start(encodings: Option<&[&str]>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut server = Server {
            child,
            stdin,
            stdout,
            next_id: 0,
            published: Vec::new(),
        };
        let general = encodings.map_or(json!({}), |e| json!({ "positionEncodings": e }));
        let result = server.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": { "general": general } }),
        );
        assert!(result["capabilities"]["hoverProvider"] == json!(true));
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn read(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = Some(n.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.unwrap()];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let message = self.call(method, params);
        assert!(message.get("error").is_none(), "{message}");
        message["result"].clone()
    }

    /// The whole response, error included.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.read();
            if message["id"] == json!(id) {
                return message;
            }
            self.published.push(message);
        }
    }

    /// The next diagnostics published, as (code, start line, start character, end line, end
    /// character).
    fn diagnostics(&mut self) -> Vec<(String, u64, u64, u64, u64)> {
        let message = match self.published.pop() {
            Some(m) => m,
            None => self.read(),
        };
        assert_eq!(message["method"], "textDocument/publishDiagnostics");
        let mut out: Vec<_> = message["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let r = &d["range"];
                (
                    d["code"].as_str().unwrap().to_owned(),
                    r["start"]["line"].as_u64().unwrap(),
                    r["start"]["character"].as_u64().unwrap(),
                    r["end"]["line"].as_u64().unwrap(),
                    r["end"]["character"].as_u64().unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }

    fn stop(mut self) {
        self.request("shutdown", json!(null));
        self.notify("exit", json!(null));
        let status = self.child.wait().unwrap();
        assert!(status.success());
    }
}

fn project() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("source.txt"), SOURCE).unwrap();
    std::fs::write(rules.join("other.plan"), OTHER).unwrap();
    // On disk the file is empty: the server must read the editor's text, not this.
    std::fs::write(rules.join("main.plan"), "").unwrap();
    let uri = uri(&rules.join("main.plan"));
    (dir, uri)
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn hover_text(server: &mut Server, uri: &str, line: u32, character: u32) -> String {
    let hover = server.request("textDocument/hover", at(uri, line, character));
    hover["contents"]["value"].as_str().unwrap_or("").to_owned()
}

fn labels(result: &Value) -> Vec<String> {
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn lsp_session_in_utf16() {
    let (dir, main) = project();
    let mut server = Server::start(None);
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": main, "languageId": "plan", "version": 1, "text": OPENED } }),
    );
    let s = |c: &str| c.to_owned();
    assert_eq!(
        server.diagnostics(),
        vec![
            (s("plancheck::parse::syntax"), 12, 13, 12, 13),
            (s("plancheck::plan::unknown-unit"), 11, 21, 11, 24),
        ]
    );
    // Complete the line that did not parse: an incremental edit at UTF-16 column 14.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 12, "character": 14 }, "end": { "line": 12, "character": 14 } },
                "text": "metric 地区生产总值增速"
            }]
        }),
    );
    assert_eq!(
        server.diagnostics(),
        vec![
            (s("plancheck::plan::quote-not-found"), 13, 11, 13, 20),
            (s("plancheck::plan::unknown-unit"), 11, 21, 11, 24),
        ]
    );

    // A rule in words; the hover on the diagnostic gives its code's reason.
    assert_eq!(
        hover_text(&mut server, &main, 9, 10),
        "**必须达到**：受污染耕地安全利用率 不低于 91%\n- 强度：确保（must）\n- 类型：水平\n\
         - 期限：计划期末（2023）\n- 牵头单位：区生态环境分局、区水务局\n\
         - 原文：受污染耕地安全利用率稳定在91%以上"
    );
    // On the quote: its paragraph, then the rule the `from` line continues.
    assert_eq!(
        hover_text(&mut server, &main, 10, 15),
        format!(
            "原文（source.txt）：\n\n{}\n\n---\n\n{}",
            SOURCE.lines().nth(1).unwrap(),
            hover_text(&mut server, &main, 9, 10)
        )
    );
    assert!(hover_text(&mut server, &main, 11, 22)
        .starts_with("`plancheck::plan::unknown-unit` 未知计量单位\n\nUnits are part"));

    // On a `metric` reference: its rule, then the tracked metric it names.
    assert_eq!(
        hover_text(&mut server, &main, 12, 25),
        "**必须达到**：新增就业增速 > metric 地区生产总值增速\n- 强度：确保（must）\n- 类型：水平\n\
         - 期限：计划期末（2023）\n- 牵头单位：区生态环境分局、区水务局\n- 原文：原文里没有的话\n\n---\n\n\
         `metric 地区生产总值增速`：跟踪指标（只报送、不考核，单位 %），由 区统计局 报送"
    );
    // From the quote to its sentence: after 32.深入推进环境污染防治。 (14 characters).
    let source = uri(&dir.path().join("rules/source.txt"));
    assert_eq!(
        server.request("textDocument/definition", at(&main, 10, 15)),
        json!({ "uri": source, "range": { "start": { "line": 1, "character": 14 }, "end": { "line": 1, "character": 32 } } })
    );
    // From `metric 地区生产总值增速` to the `track` in the other file, read from disk.
    let other = uri(&dir.path().join("rules/other.plan"));
    assert_eq!(
        server.request("textDocument/definition", at(&main, 12, 25)),
        json!({ "uri": other, "range": { "start": { "line": 2, "character": 10 }, "end": { "line": 2, "character": 18 } } })
    );

    // After `from "`: the sentences no rule cites, replacing what is typed in the quote.
    let completion = server.request("textDocument/completion", at(&main, 13, 12));
    assert_eq!(
        labels(&completion),
        ["新增城镇就业4000人以上", "力争完成超低排放改造10家"]
    );
    assert_eq!(
        completion[0]["textEdit"]["range"],
        json!({ "start": { "line": 13, "character": 12 }, "end": { "line": 13, "character": 12 } })
    );
    let completion = server.request("textDocument/completion", at(&main, 12, 24));
    assert_eq!(labels(&completion), ["地区生产总值增速"]);
    // After 4000 and 人: units of the registry that start so.
    let completion = server.request("textDocument/completion", at(&main, 11, 22));
    assert_eq!(labels(&completion), ["人", "人次"]);
    // In a `lead` list, after 区生态环境.
    let completion = server.request("textDocument/completion", at(&main, 8, 14));
    assert_eq!(labels(&completion), ["区生态环境分局"]);
    let completion = server.request("textDocument/completion", at(&main, 4, 0));
    assert!(labels(&completion).contains(&s("力争")));

    // fmt indents the clause line by eight spaces.
    assert_eq!(
        server.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": main }, "options": { "tabSize": 4, "insertSpaces": true } })
        ),
        json!([{ "range": { "start": { "line": 13, "character": 0 }, "end": { "line": 14, "character": 0 } },
                 "newText": "        from \"原文里没有的话\"\n" }])
    );

    // The outline: the section, its task, the task's rules.
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": main } }),
    );
    assert_eq!(symbols[0]["name"], "四 聚力降碳减污扩绿");
    let task = &symbols[0]["children"][0];
    assert_eq!(task["name"], "任务 32 深入推进环境污染防治");
    assert_eq!(task["range"]["end"], json!({ "line": 14, "character": 1 }));
    assert_eq!(task["children"][1]["name"], "新增就业增速");
    assert_eq!(
        task["children"][1]["selectionRange"],
        json!({ "start": { "line": 12, "character": 4 }, "end": { "line": 12, "character": 10 } })
    );

    // In the task: add a rule for each sentence no rule cites, before its `}`.
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": main },
                "range": { "start": { "line": 9, "character": 0 }, "end": { "line": 9, "character": 0 } },
                "context": { "diagnostics": [] } }),
    );
    assert_eq!(
        actions[0]["title"],
        "为此句添加规则：新增城镇就业4000人以上"
    );
    assert_eq!(
        actions[0]["edit"]["changes"][&main][0],
        json!({ "range": { "start": { "line": 14, "character": 0 }, "end": { "line": 14, "character": 0 } },
                "newText": "    指标 >= 0\n        from \"新增城镇就业4000人以上\"\n" })
    );

    // Closing the document clears its diagnostics.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": main } }),
    );
    assert_eq!(server.diagnostics(), vec![]);
    server.stop();
}

/// A milestone of the sentence that says 力争, written as a must-target.
const STRIVE: &str = r#"plan "测试计划" {
    period 2023
    source "source.txt"
}

task 32 "深入推进环境污染防治" {
    lead 区生态环境分局
    𠮷完成超低排放改造 >= 10 家
        from "完成超低排放改造10家"
}
"#;

#[test]
fn lsp_session_in_utf8() {
    let (dir, main) = project();
    let mut server = Server::start(Some(&["utf-8", "utf-16"]));
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": main, "languageId": "plan", "version": 1, "text": STRIVE } }),
    );
    // 𠮷 is four bytes: the rule line ends at byte 42, not UTF-16 unit 22.
    let s = |c: &str| c.to_owned();
    assert_eq!(
        server.diagnostics(),
        vec![(s("plancheck::lint::quote-strength"), 7, 4, 7, 42)]
    );
    let hover = hover_text(&mut server, &main, 7, 33);
    assert!(hover.starts_with("`plancheck::lint::quote-strength` 强度与原文不一致"));
    assert!(hover.contains("\n\n---\n\n**必须达到**：𠮷完成超低排放改造 不低于 10 家\n"));
    // Byte 127 of the source line is where the quote starts (UTF-16 unit 49).
    let source = uri(&dir.path().join("rules/source.txt"));
    assert_eq!(
        server.request("textDocument/definition", at(&main, 8, 20)),
        json!({ "uri": source, "range": { "start": { "line": 1, "character": 127 }, "end": { "line": 1, "character": 156 } } })
    );
    // The quick fix writes the sentence's strength word before the rule.
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": main },
                "range": { "start": { "line": 7, "character": 0 }, "end": { "line": 7, "character": 0 } },
                "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions[0]["title"], "改为 力争");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(
        actions[0]["edit"]["changes"][&main][0],
        json!({ "range": { "start": { "line": 7, "character": 4 }, "end": { "line": 7, "character": 4 } }, "newText": "力争 " })
    );
    // A range of one point becomes `==` (after 𠮷完成超低排放改造, at byte 33).
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 7, "character": 33 }, "end": { "line": 7, "character": 38 } },
                "text": "in 10..10"
            }]
        }),
    );
    assert_eq!(
        server.diagnostics(),
        vec![
            (s("plancheck::lint::point-range"), 7, 33, 7, 46),
            (s("plancheck::lint::quote-strength"), 7, 4, 7, 46),
        ]
    );
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": main },
                "range": { "start": { "line": 7, "character": 40 }, "end": { "line": 7, "character": 40 } },
                "context": { "diagnostics": [] } }),
    );
    // The strength fix of the same line comes first.
    assert_eq!(actions[0]["title"], "改为 力争");
    assert_eq!(actions[1]["title"], "改为 == 10 家");
    assert_eq!(
        actions[1]["edit"]["changes"][&main][0],
        json!({ "range": { "start": { "line": 7, "character": 33 }, "end": { "line": 7, "character": 46 } }, "newText": "== 10 家" })
    );
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main, "version": 3 },
            "contentChanges": [{
                "range": { "start": { "line": 7, "character": 33 }, "end": { "line": 7, "character": 46 } },
                "text": ">= 10 家"
            }]
        }),
    );
    assert_eq!(
        server.diagnostics(),
        vec![(s("plancheck::lint::quote-strength"), 7, 4, 7, 42)]
    );
    // An edit in bytes: 10 becomes 12 (bytes 36 to 38), which the sentence does not say.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main, "version": 4 },
            "contentChanges": [{
                "range": { "start": { "line": 7, "character": 36 }, "end": { "line": 7, "character": 38 } },
                "text": "12"
            }]
        }),
    );
    assert_eq!(
        server.diagnostics(),
        vec![
            (s("plancheck::lint::quote-number"), 7, 33, 7, 42),
            (s("plancheck::lint::quote-strength"), 7, 4, 7, 42),
        ]
    );
    server.stop();
}

/// Two open files of one folder: a task number duplicated in the other file's unsaved text is
/// reported in both, and fixing it there clears both.
#[test]
fn lsp_open_files_see_each_other() {
    let s = |c: &str| c.to_owned();
    let (dir, main) = project();
    let second = uri(&dir.path().join("rules/other.plan"));
    let mut server = Server::start(None);
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": main, "languageId": "plan", "version": 1, "text": STRIVE } }),
    );
    server.diagnostics();
    let other = OTHER.replace("task 1 ", "task 32 ");
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": second, "languageId": "plan", "version": 1, "text": other } }),
    );
    let mut seen = vec![server.diagnostics(), server.diagnostics()];
    seen.sort();
    let strength = (s("plancheck::lint::quote-strength"), 7, 4, 7, 22);
    // The second `task 32`, at its number in the other file (line 0, after `task `).
    let duplicate = (s("plancheck::plan::duplicate-task"), 0, 5, 0, 7);
    assert_eq!(seen, [vec![strength.clone()], vec![duplicate]]);
    // Back to task 1, unsaved: both documents are published again, the duplicate gone.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": second, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 5 }, "end": { "line": 0, "character": 7 } },
                "text": "1"
            }]
        }),
    );
    let mut seen = vec![server.diagnostics(), server.diagnostics()];
    seen.sort();
    assert_eq!(seen, [vec![], vec![strength]]);
    server.stop();
}

/// What an editor may send that the server cannot answer: no panic, the protocol's errors.
#[test]
fn lsp_requests_it_cannot_answer() {
    let mut server = Server::start(None);
    // Not open: no hover.
    let hover = server.request("textDocument/hover", at("file:///nowhere/a.plan", 0, 0));
    assert_eq!(hover, Value::Null);
    // Unknown method: MethodNotFound (-32601); bad parameters: InvalidParams (-32602).
    assert_eq!(
        server.call("plancheck/unknown", json!({}))["error"]["code"],
        -32601
    );
    assert_eq!(
        server.call("textDocument/hover", json!({ "x": 1 }))["error"]["code"],
        -32602
    );
    // An untitled buffer is a plan of its own; a position past its end is its end.
    let untitled = "untitled:Untitled-1";
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": untitled, "languageId": "plan", "version": 1,
                                  "text": "task 1 \"任务\" {\n    指标 >= 5 公斤斤\n}\n" } }),
    );
    assert_eq!(
        server.diagnostics(),
        vec![
            ("plancheck::plan::no-lead".to_owned(), 0, 0, 0, 13),
            ("plancheck::plan::unknown-unit".to_owned(), 1, 12, 1, 15),
        ]
    );
    let hover = server.request("textDocument/hover", at(untitled, 99, 99));
    assert_eq!(hover, Value::Null);
    server.stop();
}
