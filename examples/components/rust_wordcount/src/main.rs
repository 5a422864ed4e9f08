//! rust_wordcount: counts the words, lines and characters of a text and lists its most frequent
//! words. A WASI command built with cargo (std only): the parameters arrive as JSON on stdin
//! (already checked against input_schema by the host), the output is one JSON document on stdout.
mod json;

use std::collections::HashMap;
use std::io::{Read, Write};

fn main() {
    let mut input = String::new();
    let out = match std::io::stdin().read_to_string(&mut input) {
        Ok(_) => run(&input),
        Err(e) => failure("invalid_input", &format!("stdin is not UTF-8 text: {}", e)),
    };
    std::io::stdout().write_all(out.as_bytes()).expect("stdout");
}

fn run(input: &str) -> String {
    let params = match json::parse(input) {
        Ok(v) => v,
        Err(e) => return failure("invalid_input", &format!("the parameters are not JSON: {}", e)),
    };
    let text = match params.get("text") {
        Some(json::Value::Str(s)) => s.as_str(),
        _ => return failure("invalid_input", "text must be a string"),
    };
    let top = match params.get("top") {
        Some(json::Value::Number(n)) => *n as usize,
        _ => 3,
    };
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut words = 0u64;
    for word in text.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| w.chars().any(char::is_alphanumeric)) {
        words += 1;
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    if words == 0 && params.get("require_words") == Some(&json::Value::Bool(true)) {
        return failure("no_words", "the text has no words (require_words is true)");
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let listed: Vec<String> = ranked
        .iter()
        .take(top)
        .map(|(w, n)| format!("{{\"word\":{},\"count\":{}}}", json::quote(w), n))
        .collect();
    let lines = if text.is_empty() { 0 } else { text.lines().count() };
    format!(
        "{{\"words\":{},\"lines\":{},\"characters\":{},\"top\":[{}]}}",
        words,
        lines,
        text.chars().count(),
        listed.join(",")
    )
}

fn failure(code: &str, message: &str) -> String {
    format!("{{\"success\":false,\"error\":{{\"code\":{},\"message\":{}}}}}", json::quote(code), json::quote(message))
}
