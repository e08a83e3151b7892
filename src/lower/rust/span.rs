//! Spans of syntax nodes without re-tokenizing them. syn's `Spanned::span()` turns the
//! whole node back into tokens to find its first and last token, which makes lowering
//! quadratic in nesting (and was most of its time); here the first and last tokens are
//! read from the node's fields, falling back to `Spanned` only for rare forms.

use proc_macro2::Span;
use syn::spanned::Spanned;

fn join(a: Span, b: Span) -> Span {
    a.join(b).unwrap_or(a)
}

fn path_span(p: &syn::Path) -> Span {
    let first = p
        .leading_colon
        .map(|c| c.spans[0])
        .or_else(|| p.segments.first().map(|s| s.ident.span()));
    let last = p.segments.last().map(|s| match &s.arguments {
        syn::PathArguments::AngleBracketed(a) => a.gt_token.span,
        syn::PathArguments::Parenthesized(a) => a.paren_token.span.close(),
        syn::PathArguments::None => s.ident.span(),
    });
    match (first, last) {
        (Some(f), Some(l)) => join(f, l),
        _ => p.span(),
    }
}

/// The span of an expression, from its first token to its last.
pub(super) fn expr_span(e: &syn::Expr) -> Span {
    let start = first_span(e);
    let end = last_span(e);
    join(start, end)
}

fn first_span(e: &syn::Expr) -> Span {
    use syn::Expr::*;
    match e {
        Binary(b) => first_span(&b.left),
        MethodCall(m) => first_span(&m.receiver),
        Call(c) => first_span(&c.func),
        Field(f) => first_span(&f.base),
        Index(i) => first_span(&i.expr),
        Cast(c) => first_span(&c.expr),
        Try(t) => first_span(&t.expr),
        Await(a) => first_span(&a.base),
        Assign(a) => first_span(&a.left),
        Range(r) => match &r.start {
            Some(s) => first_span(s),
            None => r.limits.span(),
        },
        Path(p) if p.qself.is_none() => path_span(&p.path),
        Lit(l) => l.lit.span(),
        Paren(p) => p.paren_token.span.open(),
        Unary(u) => u.op.span(),
        Reference(r) => r.and_token.span,
        If(i) => i.if_token.span,
        Match(m) => m.match_token.span,
        Block(b) if b.label.is_none() => b.block.brace_token.span.open(),
        Unsafe(u) => u.unsafe_token.span,
        Loop(l) if l.label.is_none() => l.loop_token.span,
        While(w) if w.label.is_none() => w.while_token.span,
        ForLoop(f) if f.label.is_none() => f.for_token.span,
        Return(r) => r.return_token.span,
        Array(a) => a.bracket_token.span.open(),
        Tuple(t) => t.paren_token.span.open(),
        Macro(m) => path_span(&m.mac.path),
        other => other.span(),
    }
}

fn last_span(e: &syn::Expr) -> Span {
    use syn::Expr::*;
    match e {
        Binary(b) => last_span(&b.right),
        MethodCall(m) => m.paren_token.span.close(),
        Call(c) => c.paren_token.span.close(),
        Field(f) => match &f.member {
            syn::Member::Named(i) => i.span(),
            syn::Member::Unnamed(i) => i.span,
        },
        Index(i) => i.bracket_token.span.close(),
        Cast(c) => c.ty.span(),
        Try(t) => t.question_token.span,
        Await(a) => a.await_token.span,
        Assign(a) => last_span(&a.right),
        Range(r) => match &r.end {
            Some(x) => last_span(x),
            None => r.limits.span(),
        },
        Path(p) if p.qself.is_none() => path_span(&p.path),
        Lit(l) => l.lit.span(),
        Paren(p) => p.paren_token.span.close(),
        Unary(u) => last_span(&u.expr),
        Reference(r) => last_span(&r.expr),
        If(i) => match &i.else_branch {
            Some((_, e)) => last_span(e),
            None => i.then_branch.brace_token.span.close(),
        },
        Match(m) => m.brace_token.span.close(),
        Block(b) => b.block.brace_token.span.close(),
        Unsafe(u) => u.block.brace_token.span.close(),
        Loop(l) => l.body.brace_token.span.close(),
        While(w) => w.body.brace_token.span.close(),
        ForLoop(f) => f.body.brace_token.span.close(),
        Return(r) => match &r.expr {
            Some(x) => last_span(x),
            None => r.return_token.span,
        },
        Array(a) => a.bracket_token.span.close(),
        Tuple(t) => t.paren_token.span.close(),
        Macro(m) => m.mac.delimiter.span().close(),
        other => other.span(),
    }
}

/// A `let` statement's span, from `let` to `;`.
pub(super) fn local_span(l: &syn::Local) -> Span {
    join(l.let_token.span, l.semi_token.span)
}

/// A macro invocation's span.
pub(super) fn mac_span(m: &syn::Macro) -> Span {
    join(path_span(&m.path), m.delimiter.span().close())
}
