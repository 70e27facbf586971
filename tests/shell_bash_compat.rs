//! The shell against real bash: each script below was run through
//! `bash < script 2>&1` (GNU bash 5.2.15, C.UTF-8 locale, in an empty directory) and its exact terminal
//! output and exit status recorded here.

mod common;

use servicecidr_sim::kubectl::shell::{run_script, ShellHost, ShellOptions};
use servicecidr_sim::CommandOutput;

struct NoKubectl;

impl ShellHost for NoKubectl {
    fn kubectl(&mut self, args: &[String], _stdin: &str) -> CommandOutput {
        panic!("these scripts do not call kubectl: {args:?}");
    }
    fn between_commands(&mut self) {}
    fn sleep(&mut self, _seconds: f64) {}
}

fn check(script: &str, output: &str, exit: i32) {
    let got = run_script(&mut NoKubectl, script, &ShellOptions::default());
    assert_eq!(got.output, output, "terminal output of:\n{script}");
    assert_eq!(got.exit_code, exit, "exit status of:\n{script}");
    // stdout and stderr are the two halves of the interleaved output.
    assert_eq!(got.stdout.len() + got.stderr.len(), got.output.len());
    // In slices (what a page does to keep painting), the script prints the same.
    for max_steps in [1, 2, 5] {
        let sliced =
            common::run_sliced(&mut NoKubectl, script, &ShellOptions::default(), max_steps);
        assert_eq!(sliced, got, "{max_steps}-step slices of:\n{script}");
    }
}

// The statement levels a script can pause between (shell/resume.rs): nested
// loops with `break N`/`continue N`, statuses of loops, `if` and groups,
// `set -e` after a loop, `exit` inside one, errors beside loops.

#[test]
fn bash_statement_levels_loops_and_statuses() {
    check(
        r#"for a in 1 2 3; do
  for b in x y; do
    for c in p q; do
      if [ "$c" = q ]; then continue 2; fi
      if [ "$a$b" = 2y ]; then break 3; fi
      echo "$a$b$c"
    done
    echo "not reached $a$b"
  done
  echo "after b loop $a"
done
echo "status $? a=$a b=$b c=$c"
i=0
while [ $i -lt 5 ]; do i=$((i+1)); if [ $i = 2 ]; then continue; fi; { echo "w$i"; false; }; done
echo "while status $?"
until [ $i = 0 ]; do i=$((i-1)); [ $i = 2 ] && break; done; echo "until $i $?"
if false; then echo no; elif true; then echo elif; false; else echo else; fi
echo "if status $?"
if false; then echo no; fi
echo "empty if status $?"
{ echo g1; false; }
echo "group status $?"
for x in; do echo never; done; echo "empty for $?"
set -e
for i in 1 2; do echo "e$i"; done
for i in 1 2; do echo "f$i"; [ $i = 1 ]; done
echo "not reached: set -e ends after a loop whose last round failed"
"#,
        r#"1xp
1yp
after b loop 1
2xp
status 0 a=2 b=y c=p
w1
w3
w4
w5
while status 1
until 2 0
elif
if status 1
empty if status 0
g1
group status 1
empty for 0
e1
e2
f1
f2
"#,
        1,
    );
}

#[test]
fn bash_errexit_inside_a_top_level_if() {
    check(
        r#"set -e
if true; then echo inside; false; echo "not reached"; fi
echo after
"#,
        r#"inside
"#,
        1,
    );
}

#[test]
fn bash_exit_inside_a_loop() {
    check(
        r#"for i in 1 2 3; do
  echo "round $i"
  if [ $i = 2 ]; then exit 7; fi
done
echo never
"#,
        r#"round 1
round 2
"#,
        7,
    );
}

#[test]
fn bash_loops_beside_redirection_and_syntax_errors() {
    check(
        r#"for i in $(seq 1 3); do echo "n$i"; done
while true; do
  echo once
  break
done
echo "x$(for i in 1 2; do echo -n $i; done)"
for i in 1 2; do cat < missing-file; done
echo "after a redirection error"
for i in 1 2; do echo "r$i"; done
fi
echo "not reached after a syntax error"
"#,
        r#"n1
n2
n3
once
x12
bash: line 7: missing-file: No such file or directory
bash: line 7: missing-file: No such file or directory
after a redirection error
r1
r2
bash: line 10: syntax error near unexpected token `fi'
bash: line 10: `fi'
"#,
        2,
    );
}

#[test]
fn bash_loop_statuses_and_errexit_after_compounds() {
    check(
        r#"for i in 1 2; do false; continue; done
echo "continue status $?"
for i in 1 2; do false; break; done
echo "break status $?"
set -e
{ ! true; }
echo "a negated group is not fatal"
for i in 1; do ! true; done
echo "nor a loop ending in a negation: $?"
if true; then ! true; fi
echo "nor an if: $?"
while false; do :; done
echo "while that never ran: $?"
for i in 1 2; do
  if [ $i = 2 ]; then false; fi
  echo "round $i"
done
echo "not reached"
"#,
        r#"continue status 0
break status 0
a negated group is not fatal
nor a loop ending in a negation: 1
nor an if: 1
while that never ran: 0
round 1
"#,
        1,
    );
}

#[test]
fn bash_echo_and_quotes() {
    check(
        r#"echo hello world
echo "a  b"   c
X=1; echo "$X" ${X} "test-$X" '$X' \$X
echo 'single "dq"' "double 'sq'" "back\\slash \$ \" \` x\y"
echo $'ansi\ttab\x41'
echo a#b # comment
echo \"quoted\" \'s\' \\ \a
echo "a"'b'c"$X"'$X'
"#,
        r#"hello world
a  b c
1 1 test-1 $X $X
single "dq" double 'sq' back\slash $ " ` x\y
ansi	tabA
a#b
"quoted" 's' \ a
abc1$X
"#,
        0,
    );
}

#[test]
fn bash_status_and_lists() {
    check(
        r#"echo $?; false; echo $?
true && echo and1 || echo or1
false && echo and2 || echo or2
! true; echo $?
false | true; echo $?
X=$(false); echo $?
$(exit 3); echo $?
"#,
        r#"0
1
and1
or2
1
0
1
3
"#,
        0,
    );
}

#[test]
fn bash_for_loops() {
    check(
        r#"for i in $(seq 1 3); do echo "n=$i"; done
for i in a b c
do
  echo $i
done
Y="p q   r"; for w in $Y; do echo "[$w]"; done
for w in "$Y"; do echo "[$w]"; done
for x in; do echo never; done; echo status $?
"#,
        r#"n=1
n=2
n=3
a
b
c
[p]
[q]
[r]
[p q   r]
status 0
"#,
        0,
    );
}

#[test]
fn bash_break_continue() {
    check(
        r#"for i in 1 2 3 4; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done
for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done
n=0; until [ $n -ge 2 ]; do n=$((n+1)); echo u$n; done
i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo w$i; done
"#,
        r#"1
3
1a
2a
u1
u2
w1
w2
w3
"#,
        0,
    );
}

#[test]
fn bash_brace_expansion() {
    check(
        r#"echo {a,b}{1,2} x{1..3} {3..1} {a..c} {01..03} {x} {} a{b
echo {a,b,c}-{x,y}
echo {1..10..3} {10..1..4} {-2..2} {a..e..2} {e..a}
echo "{a,b}" '{a,b}' \{a,b\} {a,"b c"}
echo {a,{b,c}}d {,x}y
echo {1..3}{a,b}
"#,
        r#"a1 a2 b1 b2 x1 x2 x3 3 2 1 a b c 01 02 03 {x} {} a{b
a-x a-y b-x b-y c-x c-y
1 4 7 10 10 6 2 -2 -1 0 1 2 a c e e d c b a
{a,b} {a,b} {a,b} a b c
ad bd cd y xy
1a 1b 2a 2b 3a 3b
"#,
        0,
    );
}

#[test]
fn bash_parameter_expansion() {
    check(
        r#"X=1; Y="p q   r"
echo "${UNSET:-def}" "${UNSET-d2}" "${X:+alt}" "${#Y}" ${UNSET:=set}; echo $UNSET
E=; echo "[$E]" [$E] "[${E:-d}]" "[${E-d}]" "[${U-d}]"
A="x y"; B=""; echo [$A] ["$A"] [$B] ["$B"] [${B}z]
echo "$#" "$@" "$*" "$0"
X=a=b; echo $X
echo "$(printf 'x\n\n\n')|"
echo $(printf ' a  b \n c ')
x=1
x+=2; echo $x
"#,
        r#"def d2 alt 7 set
set
[] [] [d] [] [d]
[x y] [x y] [] [] [z]
0  bash
a=b
x|
a b c
12
"#,
        0,
    );
}

#[test]
fn bash_arithmetic() {
    check(
        r#"X=1
echo $((1+2*3)) $(( (1+2)*3 )) $((X+1)) $((7/2)) $((7%3)) $((2**10)) $((-5/2))
x=5; echo $((x++)) $x $((++x)) $((x+=2)) $x
echo $(( 3 > 2 && 1 )) $(( 0 || 0 )) $(( 2 ? 10 : 20 )) $(( ~0 )) $(( 1 << 4 ))
echo $((1/0))
echo after $?
"#,
        r#"7 9 2 3 1 1024 -2
5 6 7 9 9
1 0 10 -1 16
bash: line 5: 1/0: division by 0 (error token is "0")
after 1
"#,
        0,
    );
}

#[test]
fn bash_echo_printf() {
    check(
        r#"echo -n nonl; echo; echo -e 'a\tb\nc'; echo -ne 'x\c'; echo y
printf '%s-%d\n' a 1 b 2; printf '%5s|%-5s|%05d\n' ab cd 42
printf 'no newline'; echo
printf '%s\n'
"#,
        r#"nonl
a	b
c
xy
a-1
b-2
   ab|cd   |00042
no newline

"#,
        0,
    );
}

#[test]
fn bash_command_substitution() {
    check(
        r#"echo `echo backq`
echo "$(echo nested "$(echo deep)")"
X=$(seq 1 3); echo "$X"; echo $X
"#,
        r#"backq
nested deep
1
2
3
1 2 3
"#,
        0,
    );
}

#[test]
fn bash_coreutils() {
    check(
        r#"seq 3 | grep -v 2
seq 5 | head -n 2; seq 5 | tail -n 2; seq 5 | tail -n +4; seq 3 | wc -l
printf 'b\na\nc\n' | sort; printf '10\n9\n' | sort -n; printf 'b\na\nb\n' | sort -u -r
echo hi | wc; echo hi | wc -l -w
seq 2 4; seq 0 0.1 0.3; seq 1 0.5 2; seq 0.10 0.2 1; seq -w 8 10; seq 5 1; seq -s , 3
printf 'a\nb' | head -n 1; printf 'a\nb' | tail -n 1; echo
"#,
        r#"1
3
1
2
4
5
4
5
3
a
b
c
9
10
b
a
      1       1       3
      1       1
2
3
4
0.0
0.1
0.2
0.3
1.0
1.5
2.0
0.10
0.30
0.50
0.70
0.90
08
09
10
1,2,3
a
b
"#,
        0,
    );
}

#[test]
fn bash_tool_errors() {
    check(
        r#"cat nofile; echo $?
grep x nofile; echo $?
seq; seq 1 2 3 4; seq x; seq 1 0 2
sleep x; echo $?
"#,
        r#"cat: nofile: No such file or directory
1
grep: nofile: No such file or directory
2
seq: missing operand
Try 'seq --help' for more information.
seq: extra operand ‘4’
Try 'seq --help' for more information.
seq: invalid floating point argument: ‘x’
Try 'seq --help' for more information.
seq: invalid Zero increment value: ‘0’
Try 'seq --help' for more information.
sleep: invalid time interval ‘x’
Try 'sleep --help' for more information.
1
"#,
        0,
    );
}

#[test]
fn bash_command_not_found() {
    check(
        r#"foo bar
echo $?
./x
apiVersion: networking.k8s.io/v1
echo done
"#,
        r#"bash: line 1: foo: command not found
127
bash: line 3: ./x: No such file or directory
bash: line 4: apiVersion:: command not found
done
"#,
        0,
    );
}

#[test]
fn bash_bad_substitution_continues() {
    check(
        r#"echo ${}
echo after $?
break
echo $?
"#,
        r#"bash: line 1: ${}: bad substitution
after 1
bash: line 3: break: only meaningful in a `for', `while', or `until' loop
0
"#,
        0,
    );
}

#[test]
fn bash_exit_status() {
    check(
        r#"echo a
exit 3
echo never
"#,
        r#"a
"#,
        3,
    );
}

#[test]
fn bash_heredocs() {
    check(
        r#"cat <<EOF
line $UNSET_VAR x
a \$b `echo c` $(echo d)
EOF
cat <<'EOF'
literal $X `x`
EOF
	cat <<-EOF
	tabbed
		more
	EOF
cat <<< "here $((1+1))"
cat <<A; cat <<B
one
A
two
B
echo end
"#,
        r#"line  x
a $b c d
literal $X `x`
tabbed
more
here 2
one
two
end
"#,
        0,
    );
}

#[test]
fn bash_heredoc_unterminated() {
    check(
        r#"cat <<EOF
abc
"#,
        r#"bash: line 2: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')
abc
"#,
        0,
    );
}

#[test]
fn bash_ja_page_typo_cat_lt_eof() {
    check(
        r#"cat <EOF | cat
apiVersion: networking.k8s.io/v1beta1
kind: ServiceCIDR
metadata:
  name: newcidr1
spec:
  cidrs:
  - 10.96.0.0/24
EOF
"#,
        r#"bash: line 1: EOF: No such file or directory
bash: line 2: apiVersion:: command not found
bash: line 3: kind:: command not found
bash: line 4: metadata:: command not found
bash: line 5: name:: command not found
bash: line 6: spec:: command not found
bash: line 7: cidrs:: command not found
bash: line 8: -: command not found
bash: line 9: EOF: command not found
"#,
        127,
    );
}

#[test]
fn bash_continuation_lines() {
    check(
        r#"echo a \
  b \
  c
echo "multi
line" 'single
multi'
for i in 1 \
 2; do echo $i; done
echo x # trailing comment \
echo y
"#,
        r#"a b c
multi
line single
multi
1
2
x
y
"#,
        0,
    );
}

#[test]
fn bash_redirections() {
    check(
        r#"echo out; echo err >&2
echo to-err 1>&2
echo both &>/dev/null; echo $?
{ echo o; echo e >&2; } 2>&1 | cat
{ echo o; echo e >&2; } 2>/dev/null
cat < /dev/null; echo $?
cat <<< x 2>&1 >/dev/null
echo e 2>/dev/null >&2
echo f >/dev/null
missing_cmd 2>/dev/null; echo $?
cat < nofile; echo $?
X="a b"; echo hi > $X; echo $?
"#,
        r#"out
err
to-err
0
o
e
o
0
127
bash: line 11: nofile: No such file or directory
1
bash: line 12: $X: ambiguous redirect
1
"#,
        0,
    );
}

#[test]
fn bash_subshells_and_groups() {
    check(
        r#"{ echo g1; echo g2; } | cat
(echo sub; exit 4); echo $?
X=outer; (X=inner); echo $X
echo x | X=piped; echo $X
set -o pipefail; false | true; echo $?; set +o pipefail
"#,
        r#"g1
g2
sub
4
outer
outer
1
"#,
        0,
    );
}

#[test]
fn bash_test_builtin() {
    check(
        r#"[ -z "" ] && echo z
[ -n "" ] || echo n
[ a = a -a b = b ] && echo and
[ 1 -eq a ]; echo $?
[ 1 ; echo $?
test 3 -gt 2 && echo gt
[ ! a = b ] && echo not
[ "" ] || echo empty
if [ "x" = x ]; then echo yes; elif false; then echo no; else echo else; fi
"#,
        r#"z
n
and
bash: line 4: [: a: integer expression expected
2
bash: line 5: [: missing `]'
2
gt
not
empty
yes
"#,
        0,
    );
}

#[test]
fn bash_grep_variants() {
    check(
        r#"printf 'apple\nBanana\ncherry pie\n' | grep -i banana
printf 'apple\nBanana\ncherry pie\n' | grep -c a
printf 'apple\nBanana\ncherry pie\n' | grep -E 'ap+le|pie$'
printf 'apple\nBanana\ncherry pie\n' | grep -w pie
printf 'apple\nBanana\ncherry pie\n' | grep -v -e apple -e Banana
printf 'apple\nBanana\ncherry pie\n' | grep -q zzz; echo $?
printf 'a.b\naxb\n' | grep -F a.b
printf 'a.b\naxb\n' | grep 'a\.b'
printf 'aaa\nab\n' | grep '^a*$'
printf 'x1\nx22\n' | grep -E 'x[0-9]{2}'
printf 'x1\nx22\n' | grep 'x[[:digit:]]\{2\}'
printf 'x1\nx22\n' | grep -n x
printf 'ab\nabab\n' | grep -x -E '(ab)+b?'
echo x | grep '[a'; echo $?
echo x | grep -E '(a'; echo $?
echo a | grep b; echo $?
"#,
        r#"Banana
2
apple
cherry pie
cherry pie
cherry pie
1
a.b
a.b
aaa
x22
x22
1:x1
2:x22
ab
abab
grep: Unmatched [, [^, [:, [., or [=
2
grep: Unmatched ( or \(
2
1
"#,
        0,
    );
}

#[test]
fn bash_set_e() {
    check(
        r#"set -e
echo 1
false || echo handled
if false; then :; fi
! true
false && true
false
echo not reached
"#,
        r#"1
handled
"#,
        1,
    );
}

#[test]
fn bash_set_u() {
    check(
        r#"set -u
echo ${Q:-ok}
echo $Q
echo no
"#,
        r#"ok
bash: line 3: Q: unbound variable
"#,
        1,
    );
}

#[test]
fn bash_param_error_unset() {
    check(
        r#"echo ${Q?}
echo no
"#,
        r#"bash: line 1: Q: parameter not set
"#,
        1,
    );
}

#[test]
fn bash_param_error_message() {
    check(
        r#"echo ${Q:?custom msg}
"#,
        r#"bash: line 1: Q: custom msg
"#,
        1,
    );
}

#[test]
fn bash_lineno() {
    check(
        r#"echo $LINENO
for i in 1; do
  echo $LINENO
done
echo "x
$LINENO"
"#,
        r#"1
3
x
6
"#,
        0,
    );
}

#[test]
fn bash_syntax_error_unexpected_token() {
    check(
        r#"echo before
echo a; echo b )
echo c
"#,
        r#"before
bash: line 2: syntax error near unexpected token `)'
bash: line 2: `echo a; echo b )'
"#,
        2,
    );
}

#[test]
fn bash_syntax_error_eof_in_if() {
    check(
        r#"echo a
if true; then
echo b
"#,
        r#"a
bash: line 4: syntax error: unexpected end of file
"#,
        2,
    );
}

#[test]
fn bash_syntax_error_open_quote() {
    check(
        r#"echo "abc
"#,
        r#"bash: line 1: unexpected EOF while looking for matching `"'
"#,
        2,
    );
}

#[test]
fn bash_syntax_error_open_subst() {
    check(
        r#"echo $(ab
"#,
        r#"bash: line 2: unexpected EOF while looking for matching `)'
"#,
        2,
    );
}

#[test]
fn bash_syntax_error_redirect_newline() {
    check(
        r#"echo a >
"#,
        r#"bash: line 1: syntax error near unexpected token `newline'
bash: line 1: `echo a >'
"#,
        2,
    );
}

#[test]
fn bash_syntax_error_stray_fi() {
    check(
        r#"  fi
"#,
        r#"bash: line 1: syntax error near unexpected token `fi'
bash: line 1: `  fi'
"#,
        2,
    );
}

#[test]
fn bash_syntax_error_empty_loop_body() {
    check(
        r#"for i in 1; do done
"#,
        r#"bash: line 1: syntax error near unexpected token `done'
bash: line 1: `for i in 1; do done'
"#,
        2,
    );
}

#[test]
fn bash_syntax_error_double_semicolon() {
    check(
        r#"echo a;; echo b
"#,
        r#"bash: line 1: syntax error near unexpected token `;;'
bash: line 1: `echo a;; echo b'
"#,
        2,
    );
}

#[test]
fn bash_dollar_double_quote() {
    check(
        r#"$"x y" ok
"#,
        r#"bash: line 1: x y: command not found
"#,
        127,
    );
}

#[test]
fn bash_expansion_details() {
    check(
        r#"printf '[%s]\n' ${X:-"a b"} ${X:-a b} "${X:-a b}"
Y='  lead  trail  '; printf '[%s]\n' $Y "$Y"
echo $(( )) $((  5  ))
if true
then
  echo multi-if # comment
elif false
then
  echo no
else
  echo no
fi
while false; do echo never; done; echo w $?
X=$(cat <<EOF
inside $((2+3))
EOF
)
echo "$X"
cat <<EOF | cat
a \\ b \$c $(echo sub) \`x\` "dq" 'sq'
  indented	tab
EOF
echo "a\$b" 'c\d' "e\\f" "g\h"
echo $'\'' "\$'x'"
for i in "a b" c; do echo "[$i]"; done
echo "${#}" "${?}"
true; echo ${?}
echo -- -n -e; echo -n; echo -e "x\\ny"
echo -ee 'a\nb' -n
echo \-n
printf '%s|' a b c; echo
printf '%3d|%-3d|%x|%o|%c|%%|%5.2s|\n' 7 7 255 8 hello abc
printf 'x%sy\n'
printf '%d\n' abc; echo $?
"#,
        r#"[a b]
[a]
[b]
[a b]
[lead]
[trail]
[  lead  trail  ]
0 5
multi-if
w 0
inside 5
a \ b $c sub `x` "dq" 'sq'
  indented	tab
a$b c\d e\f g\h
' $'x'
[a b]
[c]
0 0
0
-- -n -e
x
y
a
b -n
a|b|c|
  7|7  |ff|10|h|%|   ab|
xy
bash: line 34: printf: abc: invalid number
0
1
"#,
        0,
    );
}

#[test]
fn bash_globs_stay_literal_in_an_empty_directory() {
    check(
        r#"a=1 b=2; echo $a$b
echo ${a}${b}c "${a}"'${b}'
v="*"; echo $v "$v"
echo [a] *.nomatch
set -e; false || true; echo ok
(false); echo sub-status $?
{ false; }
echo unreachable
"#,
        r#"12
12c 1${b}
* *
[a] *.nomatch
ok
"#,
        1,
    );
}

#[test]
fn bash_multiline_loops_and_pipes_into_loops() {
    check(
        r#"for i in 1 2 3
do
  if [ $i -eq 2 ]; then
    continue
  fi
  echo "item $i"
done | cat
echo "pipe into loop:"
seq 2 | for x in a b; do cat; echo $x; done
"#,
        r#"item 1
item 3
pipe into loop:
1
2
a
b
"#,
        0,
    );
}

#[test]
fn bash_nested_substitutions() {
    check(
        r#"echo a | cat | cat | cat
X=1
echo $X | { read_missing; echo $?; }
echo "$(echo "$(echo "$(echo deep)")")"
echo `echo \`echo inner\``
echo "$(( $(echo 2) * 3 ))"
echo ${UNDEF:-$(echo from-subst)}
"#,
        r#"a
bash: line 3: read_missing: command not found
127
deep
inner
6
from-subst
"#,
        0,
    );
}

#[test]
fn bash_read_loops() {
    check(
        r#"printf 'a  b   c  d\n  x  \nlast' | while read x y; do echo "[$x][$y]"; done
printf ' a\\b c\\\nd\n' | { read x; echo "[$x]"; }
printf ' a\\b c\n' | { read -r x; echo "[$x]"; }
printf '  keep  \n' | { read; echo "[$REPLY]"; }
echo 'a:b' | read 1x; echo $?
printf 'one\ntwo\n' | { read a; cat; echo "a=$a"; }
echo x | read v; echo "subshell [$v]"
read q < /dev/null; echo "eof $? [$q]"
"#,
        r#"[a][b   c  d]
[x][]
[ab cd]
[a\b c]
[  keep  ]
bash: line 5: read: `1x': not a valid identifier
1
two
a=one
subshell []
eof 1 []
"#,
        0,
    );
}

#[test]
fn bash_grep_only_matching() {
    check(
        r#"echo "hello world foo" | grep -o 'o[a-z]*'
echo "aaa" | grep -o 'a*'
echo "abc" | grep -o -E 'x*'; echo $?
echo "ab ab" | grep -c -o ab
echo "Ab ab" | grep -o -i AB
echo "ab" | grep -o -v zz; echo $?
printf 'k=1 j=22\nnone\nz=3\n' | grep -o -n '[a-z]=[0-9]*'
"#,
        r#"o
orld
oo
aaa
0
1
Ab
ab
0
1:k=1
1:j=22
3:z=3
"#,
        0,
    );
}

/// `grep -o` prints POSIX leftmost-longest matches (not the first alternative that fits),
/// and assertions see the characters around a match. Expected output from GNU grep 3.8.
#[test]
fn bash_grep_leftmost_longest_and_boundaries() {
    check(
        r#"echo abcd | grep -o -E 'a|ab|abc'
echo abc | grep -o -E '(ab|a)(bc)*'
echo abcd | grep -o -E '(ab)?(abcd)?'
echo "foobar foo" | grep -o 'foo\b'
echo "foobar foo" | grep -o '\<foo\>'
echo "a-b c_d" | grep -o '\w*'
echo "xx ab" | grep -o 'b$'
echo "ab" | grep -o '^b'; echo $?
echo "foo.bar foo" | grep -ow 'foo'
echo "Ab1 c2" | grep -o '[[:alpha:]][[:digit:]]'
echo "a]b" | grep -o '[]a]*'
echo "a^b" | grep -o '[\^]'
echo "x+y" | grep -o 'x+y'
echo "xxy" | grep -o 'x\+y'
echo 'tab	here' | grep -c '[[:blank:]]'
echo 'héllo wörld' | grep -o 'h.llo'
"#,
        r#"abc
abc
abcd
foo
foo
a
b
c_d
b
1
foo
foo
b1
c2
a]
^
x+y
xxy
1
héllo
"#,
        0,
    );
}
