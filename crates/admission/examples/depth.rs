//! Measures how deep an expression the interpreter evaluates on a given stack:
//! `cargo run --release --example depth -- <stack KiB>`.
use servicecidr_admission::cel::evaluate_expression;
fn main() {
    let kib: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    for terms in (10..=100).step_by(10) {
        std::thread::Builder::new()
            .stack_size(kib << 10)
            .spawn(move || {
                let sum = vec!["1"; terms].join(" + ");
                let r = evaluate_expression(&sum, &[]);
                let nested = format!(
                    "{}1{}",
                    "[".repeat(terms.min(90)),
                    "]".repeat(terms.min(90))
                );
                let r2 = evaluate_expression(&nested, &[]);
                println!("{terms}: {:?} {:?}", r.is_ok(), r2.is_ok());
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
