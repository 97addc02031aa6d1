//! `exauth request`: the ops contract from a shell (the same requests the C ABI takes).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn exauth(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exauth"))
        .args(args)
        .env_remove("EXAUTH_LANG")
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run exauth");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR")).replace('\\', "/")
}

#[test]
fn one_shot_request_prints_the_result() {
    let out = exauth(&["request", r#"{"op":"version"}"#], None);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["abiVersion"], exchange_auth_tools::ops::ABI_VERSION);
}

#[test]
fn errors_are_json_bodies_in_the_cli_language_with_usage_exit_code() {
    let out = exauth(&["--lang", "ja-JP", "request", r#"{"op":"nope"}"#], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let body: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(body["code"], "unknown_operation");
    assert!(body["message"].as_str().unwrap().contains("不明な操作"), "{body}");
    // A request naming its language wins over --lang.
    let out = exauth(&["--lang", "ja-JP", "request", r#"{"op":"nope","lang":"en-US"}"#], None);
    let body: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert!(body["message"].as_str().unwrap().starts_with("unknown operation"), "{body}");
}

#[test]
fn streaming_request_from_stdin_prints_items_then_the_end() {
    let req = format!(
        r#"{{"op":"scan","params":{{"paths":["{}"],"includeModern":true}}}}"#,
        fixture("graph_v1.0_signin-list_docs_example1.json")
    );
    let out = exauth(&["request", "--batch", "1"], Some(&req));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["kind"], "signIn");
    assert_eq!(lines[0]["value"]["userPrincipalName"], "testaccount1@contoso.com");
    assert_eq!(lines[1]["kind"], "end");
    assert_eq!(lines[1]["value"]["stats"]["records"], 1);
}

#[test]
fn problems_give_exit_code_1() {
    let out = exauth(&["request", r#"{"op":"summary","params":{"paths":["/nonexistent/signins.json"]}}"#], None);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["problems"]["total"], 1);
}
