//! No input makes the shell or jq panic (a panic in wasm kills the module).

mod common;

use proptest::prelude::*;
use servicecidr_sim::kubectl::jq::run_jq;
use servicecidr_sim::kubectl::shell::{run_script, ShellHost, ShellOptions};
use servicecidr_sim::CommandOutput;

struct Echo;

impl ShellHost for Echo {
    fn kubectl(&mut self, args: &[String], stdin: &str) -> CommandOutput {
        let out = format!("{}\n{stdin}", args.join(" "));
        CommandOutput {
            stdout: out.clone(),
            stderr: String::new(),
            exit_code: i32::from(args.len() % 2 == 0),
            output: out,
        }
    }
    fn between_commands(&mut self) {}
    fn sleep(&mut self, _seconds: f64) {}
}

/// Strings built from shell-significant pieces reach deep into the parser.
fn shell_soup() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "echo", "kubectl", "jq", "cat", "grep", "seq", "for", "in", "do", "done", "if", "then",
        "else", "fi", "while", "until", "{", "}", "(", ")", "$(", "$((", "))", "`", "'", "\"",
        "\\", "\n", ";", "&&", "||", "|", "&", "<<EOF\n", "EOF\n", "<<-", "<<<", ">", "2>&1", "<",
        "$X", "${X:-", "${#X}", "$?", "X=", "{a,b}", "{1..3}", "#", " ", " ", "1", "-e", "[", "]",
        "test", "!", "break", "continue", "exit", "set -e", "$'", "\\\n", "*", "~", "sleep",
        "head", "tail", "sort", "wc", "printf", "%s", "%d", "-n", "2",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
}

fn jq_soup() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        ".", "..", ".a", ".[", "]", "[]", "|", ",", "(", ")", "{", "}", ":", "\"", "\\(", "1", "-",
        "+", "*", "/", "%", "==", "<", "and", "or", "not", "if", "then", "elif", "else", "end",
        "as", "$x", "reduce", "foreach", "try", "catch", "?", "//", "map(", "select(", "length",
        "keys", "range(", ";", "@csv", "@base64", "empty", "error", "limit(", "first(", "recurse",
        "tostring", "tonumber", "split(", "join(", "sort_by(", " ", "\"a\"", "null", "true", "def",
        "=", "|=", "$__loc__", "input", "inputs", "walk(",
    ]);
    prop::collection::vec(atoms, 0..30).prop_map(|v| v.concat())
}

fn json_soup() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"a\"",
        "\"\\u00e9\"",
        "\"\\ud800\"",
        "1",
        "-0",
        "1e400",
        "0.5",
        "true",
        "false",
        "null",
        "nan",
        " ",
        "\n",
        "\"",
        "\\",
        "x",
    ]);
    prop::collection::vec(atoms, 0..30).prop_map(|v| v.concat())
}

/// ERE patterns without assertions, from pieces that make alternatives and repetitions.
fn ere_soup() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "a", "b", "ab", ".", "[ab]", "[^a]", "(", ")", "|", "*", "+", "?", "{1,2}", "{2}",
    ]);
    prop::collection::vec(atoms, 1..10).prop_map(|v| v.concat())
}

fn sh(script: &str) -> (String, i32) {
    let out = run_script(&mut Echo, script, &ShellOptions::default());
    (out.stdout, out.exit_code)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// `grep -o` prints the leftmost-longest match first: found by brute force over every
    /// substring with `grep -x` (the forward pattern only), compared with `-o` (which takes
    /// its end from the reversed pattern).
    #[test]
    fn grep_only_matching_is_leftmost_longest(pattern in ere_soup(), line in "[ab ]{0,8}") {
        let (first, code) = sh(&format!("printf '%s\\n' '{line}' | grep -oE '{pattern}' | head -1"));
        prop_assume!(code != 2 && !first.contains("grep:"));
        let chars: Vec<char> = line.chars().collect();
        let mut want = String::new();
        'start: for s in 0..chars.len() {
            for e in (s + 1..=chars.len()).rev() {
                let sub: String = chars[s..e].iter().collect();
                if sh(&format!("printf '%s\\n' '{sub}' | grep -qxE '{pattern}'")).1 == 0 {
                    want = format!("{sub}\n");
                    break 'start;
                }
            }
        }
        prop_assert_eq!(first, want, "pattern {:?} line {:?}", pattern, line);
    }

    #[test]
    fn shell_never_panics_on_arbitrary_text(script in "\\PC{0,200}") {
        let out = run_script(&mut Echo, &script, &ShellOptions::default());
        prop_assert_eq!(out.stdout.len() + out.stderr.len(), out.output.len());
    }

    #[test]
    fn shell_never_panics_on_shell_like_text(script in shell_soup()) {
        let out = run_script(&mut Echo, &script, &ShellOptions::default());
        prop_assert!((0..=255).contains(&out.exit_code));
        prop_assert_eq!(out.stdout.len() + out.stderr.len(), out.output.len());
        // Run a step at a time (a page painting between slices), it prints the same.
        let sliced = common::run_sliced(&mut Echo, &script, &ShellOptions::default(), 1);
        prop_assert_eq!(sliced, out);
    }

    #[test]
    fn jq_never_panics_on_arbitrary_filters(filter in "\\PC{0,80}", input in "\\PC{0,80}") {
        let _ = run_jq(&[filter], &input);
    }

    #[test]
    fn jq_never_panics_on_jq_like_filters(filter in jq_soup(), input in json_soup()) {
        let (_, _, code) = run_jq(&["-c".to_string(), filter], &input);
        prop_assert!([0, 1, 2, 3, 4, 5].contains(&code));
    }

    #[test]
    fn jq_identity_round_trips_valid_json(v in json_value()) {
        let text = v.to_string();
        let (out, err, code) = run_jq(&["-c".to_string(), ".".to_string()], &text);
        prop_assert_eq!(code, 0, "{}", err);
        let back: serde_json::Value = serde_json::from_str(out.trim_end()).expect("jq output is JSON");
        prop_assert_eq!(back, v);
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        (-1_000_000i64..1_000_000).prop_map(serde_json::Value::from),
        "[a-z\u{e9}\"\\\\\n]{0,6}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-c]{1,2}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// wasm gives the module about 1 MiB of stack: deep nesting must be refused
/// before it can overflow that.
#[test]
fn deep_nesting_fits_in_a_wasm_sized_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            for depth in [10usize, 30, 60, 100, 1000] {
                let scripts = [
                    format!("{}echo x{}", "$(".repeat(depth), ")".repeat(depth)),
                    format!("{}echo x{}", "( ".repeat(depth), " )".repeat(depth)),
                    format!("{}echo x;{}", "{ ".repeat(depth), " }".repeat(depth)),
                    format!(
                        "{}echo x\n{}",
                        "if true; then ".repeat(depth),
                        "fi\n".repeat(depth)
                    ),
                    format!(
                        "{}echo x{}",
                        "for i in 1; do ".repeat(depth),
                        "; done".repeat(depth)
                    ),
                    format!(
                        "echo \"{}x{}\"",
                        "${X:-\"".repeat(depth),
                        "\"}".repeat(depth)
                    ),
                    format!("echo $(({}1{}))", "(".repeat(depth), ")".repeat(depth)),
                    format!("echo {}x{}", "{a,".repeat(depth), "}".repeat(depth)),
                ];
                for s in &scripts {
                    let _ = run_script(&mut Echo, s, &ShellOptions::default());
                }
                let filters = [
                    format!("{}.{}", "[".repeat(depth), "]".repeat(depth)),
                    format!("{}.{}", "(".repeat(depth), ")".repeat(depth)),
                    format!("{}1", "-".repeat(depth)),
                    format!("{}. ", ". | ".repeat(depth)),
                    format!("{}1{}", "{a:".repeat(depth), "}".repeat(depth)),
                    format!("\"{}x{}\"", "\\(\"".repeat(depth), "\")".repeat(depth)),
                    format!(
                        "{}1{}",
                        "if true then ".repeat(depth),
                        " else 2 end".repeat(depth)
                    ),
                ];
                for f in &filters {
                    let _ = run_jq(&["-c".to_string(), f.clone()], "null");
                }
                let input = format!("{}{}", "[".repeat(depth * 10), "]".repeat(depth * 10));
                let _ = run_jq(&["-c".to_string(), ".".to_string()], &input);
                let _ = run_jq(&["-c".to_string(), "..".to_string()], &input);
            }
            // Values built deeper and deeper by a program stop at a limit too.
            let (_, e, c) = run_jq(
                &[
                    "-n".to_string(),
                    "reduce range(100000) as $i (null; [.]) | tojson | length".to_string(),
                ],
                "",
            );
            assert_eq!(c, 5);
            assert!(e.contains("nested deeper than"), "{e}");
            let (_, e, c) = run_jq(
                &[
                    "-n".to_string(),
                    "reduce range(100000) as $i (null; {a: .})".to_string(),
                ],
                "",
            );
            assert_eq!(c, 5);
            assert!(e.contains("nested deeper than"), "{e}");
        })
        .expect("thread starts");
    assert!(handle.join().is_ok(), "deep nesting overflowed or panicked");
}
