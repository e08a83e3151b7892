//! A rule's `[rule.fix]` template turned into edits at one call, offered only when the
//! edited call still runs and keeps its meaning for the inputs that were safe before.
//!
//! A fix that turns a crash or a vulnerability into a different crash is worse than none:
//! users apply fixes in bulk and trust them. So every template refuses the cases it cannot
//! get right, and the finding then keeps only its help text:
//! - `set_arg`: an argument passed by position is replaced where it is (a keyword added
//!   beside it would be "multiple values for argument"); with `*args`/`**kwargs` at the call
//!   it could be either, so no fix. A replacement that names a module (`jinja2.select_...`)
//!   is offered only where the call itself is written through that module's name.
//! - `rename_call`: the safe variants (`yaml.safe_load`) take the stream only, so the call
//!   must pass exactly one positional argument.
//! - `shell_arg`: the command becomes an argument list and the shell keyword is dropped,
//!   only when the command is written at the call as a string literal, an f-string or a
//!   `+` of those, whose literal text holds no shell syntax and whose interpolated values
//!   are whole words (each becomes one argument, as it was for values without blanks).

use crate::finding::{Edit, Fix};
use crate::ir::{BinOp, Const, Expr, ExprKind, FPart, Span, Unpack};
use crate::rules::Rule;

/// One argument at the call, as the fix needs it.
pub struct CallPart<'a> {
    pub keyword: Option<&'a str>,
    pub expr: &'a Expr,
    pub unpack: Unpack,
    /// The whole argument, `shell=True` included.
    pub span: Span,
}

/// The edits `rule`'s fix template makes at `call` (whose callee is `func`), or `None`
/// when the template cannot be applied so that the code still runs.
pub fn build(
    source: &str,
    rule: &Rule,
    call: &Expr,
    func: &Expr,
    args: &[CallPart<'_>],
) -> Option<Fix> {
    let f = rule.fix.as_ref()?;
    let mut edits = Vec::new();
    if let (Some(name), Some(to)) = (&f.set_arg, &f.to) {
        edits.push(set_arg(rule, name, to, call, func, args, source)?);
    }
    if let Some(new_name) = &f.rename_call {
        edits.push(rename(new_name, func, args, source)?);
    }
    if let Some(shell) = &f.shell_arg {
        edits.extend(command_as_list(shell, args, source)?);
    }
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        description: f.description.clone(),
        edits,
    })
}

fn set_arg(
    rule: &Rule,
    name: &str,
    to: &str,
    call: &Expr,
    func: &Expr,
    args: &[CallPart<'_>],
    src: &str,
) -> Option<Edit> {
    // `jinja2.select_autoescape()` needs `jinja2` bound; the call written as
    // `jinja2.Environment(...)` shows that it is.
    if let Some((module, _)) = to.split_once('.')
        && is_identifier(module)
        && !at(src, func.span).starts_with(&format!("{module}."))
    {
        return None;
    }
    let replace = |e: &Expr| Edit {
        start: e.span.start,
        end: e.span.end,
        replacement: to.to_string(),
    };
    if let Some(a) = args.iter().find(|a| a.keyword == Some(name)) {
        return Some(replace(a.expr));
    }
    if args.iter().any(|a| a.unpack != Unpack::None) {
        return None;
    }
    // The position the rule reads this argument from, if it reads one.
    let pos = rule
        .when
        .iter()
        .chain(&rule.unless)
        .map(|c| c.at())
        .find(|at| at.arg.as_deref() == Some(name))
        .and_then(|at| at.pos);
    let positional: Vec<&CallPart<'_>> = args.iter().filter(|a| a.keyword.is_none()).collect();
    if let Some(a) = pos.and_then(|p| positional.get(p)) {
        return Some(replace(a.expr));
    }
    // Insert before the closing parenthesis of the call.
    let end = call.span.end;
    let close = Span {
        start: end.checked_sub(1)?,
        end,
        ..call.span
    };
    if at(src, close) != ")" {
        return None;
    }
    let sep = if args.is_empty() { "" } else { ", " };
    Some(Edit {
        start: end - 1,
        end: end - 1,
        replacement: format!("{sep}{name}={to}"),
    })
}

fn rename(new_name: &str, func: &Expr, args: &[CallPart<'_>], src: &str) -> Option<Edit> {
    if !matches!(args, [a] if a.keyword.is_none() && a.unpack == Unpack::None) {
        return None;
    }
    if let ExprKind::Attribute { attr, .. } = &func.kind {
        let end = func.span.end;
        let start = end.checked_sub(attr.len() as u32)?;
        return Some(Edit {
            start,
            end,
            replacement: new_name.to_string(),
        });
    }
    let q = func.qualified_name()?;
    let last = q.rsplit('.').next()?;
    // `from yaml import load as l`: renaming `l` would need a new import.
    (at(src, func.span) == last).then(|| Edit {
        start: func.span.start,
        end: func.span.end,
        replacement: new_name.to_string(),
    })
}

/// Replaces the command with a list of arguments and deletes the `shell` keyword.
fn command_as_list(shell: &str, args: &[CallPart<'_>], src: &str) -> Option<Vec<Edit>> {
    if args.iter().any(|a| a.unpack != Unpack::None) {
        return None;
    }
    // `executable=` replaces the shell program: without the shell it means something else.
    if args.iter().any(|a| a.keyword == Some("executable")) {
        return None;
    }
    let cmd = args
        .iter()
        .find(|a| a.keyword == Some("args"))
        .or_else(|| args.iter().find(|a| a.keyword.is_none()))?;
    let at = args.iter().position(|a| a.keyword == Some(shell))?;
    let words = shell_words(cmd.expr, src)?;
    let list = format!("[{}]", words.join(", "));
    // Delete `, shell=True` with the comma before it, or `shell=True, ` when it comes first.
    let (start, end) = match at {
        0 => (args[0].span.start, args.get(1)?.span.start),
        i => (args[i - 1].span.end, args[i].span.end),
    };
    Some(vec![
        Edit {
            start: cmd.expr.span.start,
            end: cmd.expr.span.end,
            replacement: list,
        },
        Edit {
            start,
            end,
            replacement: String::new(),
        },
    ])
}

/// A piece of the command line: literal text or an interpolated value's source text.
enum Piece {
    Lit(String),
    Value(String),
}

/// The command's pieces in order, if it is made only of literals, f-strings and `+`.
fn pieces(e: &Expr, src: &str, out: &mut Vec<Piece>) -> Option<()> {
    match &e.kind {
        ExprKind::Const(Const::Str(s)) => out.push(Piece::Lit(s.to_string())),
        ExprKind::FString(parts) => {
            for p in parts {
                match p {
                    FPart::Lit(s) => out.push(Piece::Lit(s.to_string())),
                    // `{x!r}` or `{x:>8}` formats differently from `str(x)`.
                    FPart::Value {
                        value,
                        conversion: None,
                        spec: None,
                    } => out.push(Piece::Value(at(src, value.span).to_string())),
                    FPart::Value { .. } => return None,
                }
            }
        }
        ExprKind::BinOp {
            op: BinOp::Add,
            left,
            right,
        } => {
            pieces(left, src, out)?;
            // A non-literal on the right of `+` is a str already (else `+` raised).
            pieces(right, src, out)?;
        }
        _ => out.push(Piece::Value(at(src, e.span).to_string())),
    }
    Some(())
}

/// The argument list the shell would have built from the command for values without
/// blanks or shell syntax, as Python expressions; `None` when that is not certain.
fn shell_words(cmd: &Expr, src: &str) -> Option<Vec<String>> {
    let mut ps = Vec::new();
    pieces(cmd, src, &mut ps)?;
    if !ps.iter().any(|p| matches!(p, Piece::Lit(_))) {
        // A bare variable: nothing says what it holds.
        return None;
    }
    // Each word: (literal text, value expressions) in order, `None` for literal text.
    let mut words: Vec<Vec<Piece>> = Vec::new();
    let mut open = false;
    for p in ps {
        match p {
            Piece::Lit(s) => {
                if !s.chars().all(|c| c == ' ' || c == '\t' || plain_char(c)) {
                    return None;
                }
                let mut rest = s.as_str();
                while !rest.is_empty() {
                    let blank = rest.starts_with([' ', '\t']);
                    let cut = rest
                        .find(|c: char| (c == ' ' || c == '\t') != blank)
                        .unwrap_or(rest.len());
                    let (chunk, tail) = rest.split_at(cut);
                    if blank {
                        open = false;
                    } else {
                        if !open {
                            words.push(Vec::new());
                        }
                        words.last_mut()?.push(Piece::Lit(chunk.to_string()));
                        open = true;
                    }
                    rest = tail;
                }
            }
            Piece::Value(v) => {
                if v.contains(['"', '\\', '\n', '{', '}']) {
                    return None;
                }
                if !open {
                    words.push(Vec::new());
                }
                words.last_mut()?.push(Piece::Value(v));
                open = true;
            }
        }
    }
    // The program must be literal text, an executable (not a shell builtin or keyword, not
    // `NAME=value`), or the list would not run the same thing.
    match words.first()?.as_slice() {
        [Piece::Lit(prog)] if !prog.contains('=') && !SHELL_ONLY.contains(&prog.as_str()) => {}
        _ => return None,
    }
    Some(words.iter().map(|w| python_word(w)).collect())
}

/// `"lit"`, `str(value)`, or an f-string for a word that mixes them (`--out={path}`).
fn python_word(w: &[Piece]) -> String {
    match w {
        [Piece::Lit(s)] => format!("\"{s}\""),
        [Piece::Value(v)] => format!("str({v})"),
        _ => {
            let mut s = String::from("f\"");
            for p in w {
                match p {
                    Piece::Lit(l) => s.push_str(l),
                    Piece::Value(v) => {
                        s.push('{');
                        s.push_str(v);
                        s.push('}');
                    }
                }
            }
            s.push('"');
            s
        }
    }
}

/// Characters `/bin/sh` takes literally outside quotes (and that need no escaping in a
/// Python string literal). Anything else (quotes, `$`, globs, `~`, `#`, redirections,
/// braces, `^`, newlines) can mean something to the shell.
fn plain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | ',' | '+' | '@' | '%' | '=')
}

/// Commands that exist only inside a shell: run without one, they are "not found".
const SHELL_ONLY: &[&str] = &[
    ".", "alias", "bg", "break", "builtin", "case", "cd", "command", "continue", "declare", "do",
    "done", "elif", "else", "esac", "eval", "exec", "exit", "export", "fg", "fi", "for",
    "function", "getopts", "hash", "history", "if", "jobs", "let", "local", "popd", "pushd",
    "read", "readonly", "return", "select", "set", "shift", "shopt", "source", "then", "times",
    "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait", "while",
];

/// The source text of `span`.
fn at(src: &str, span: Span) -> &str {
    src.get(span.start as usize..span.end as usize)
        .unwrap_or("")
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Expr {
        Expr::new(ExprKind::Const(Const::Str(s.into())), Span::default())
    }

    fn words_of(e: &Expr, src: &str) -> Option<Vec<String>> {
        shell_words(e, src)
    }

    #[test]
    fn plain_literal_commands_split_like_the_shell() {
        assert_eq!(
            words_of(&lit("  tar  czf - /srv/data\t"), ""),
            Some(vec![
                "\"tar\"".into(),
                "\"czf\"".into(),
                "\"-\"".into(),
                "\"/srv/data\"".into()
            ])
        );
    }

    #[test]
    fn shell_syntax_or_builtins_get_no_fix() {
        for cmd in [
            "ls | wc -l",
            "echo hi > out.txt",
            "ls *.py",
            "echo $HOME",
            "echo 'a b'",
            "cd /tmp",
            "FOO=1 make",
            "ls ~",
            "a && b",
            "echo a\nb",
            "",
            "   ",
        ] {
            assert_eq!(words_of(&lit(cmd), ""), None, "{cmd:?}");
        }
    }

    #[test]
    fn interpolated_values_are_whole_words_or_join_a_literal() {
        // f"convert {src} --out={dst}" with the values' source text at their spans.
        let src = "src dst";
        let value = |a: u32, b: u32| FPart::Value {
            value: Expr::new(
                ExprKind::Local(src[a as usize..b as usize].into()),
                Span {
                    start: a,
                    end: b,
                    ..Span::default()
                },
            ),
            conversion: None,
            spec: None,
        };
        let f = Expr::new(
            ExprKind::FString(vec![
                FPart::Lit("convert ".into()),
                value(0, 3),
                FPart::Lit(" --out=".into()),
                value(4, 7),
            ]),
            Span::default(),
        );
        assert_eq!(
            words_of(&f, src),
            Some(vec![
                "\"convert\"".into(),
                "str(src)".into(),
                "f\"--out={dst}\"".into()
            ])
        );
        // The program itself from a value: no fix.
        let g = Expr::new(
            ExprKind::FString(vec![value(0, 3), FPart::Lit(" -v".into())]),
            Span::default(),
        );
        assert_eq!(words_of(&g, src), None);
    }
}
