//! The reporting policy: what a solver outcome means for the user.
//!
//! - Proved (unsat): no finding; listed by `--proofs`.
//! - Violated with a bad condition that mentions no symbol: the violation needs no
//!   assumption about inputs: an error at the rule's severity.
//! - Violated but the bad condition mentions parameters, loop-widened values or caught
//!   exceptions: a latent warning whose help names the needed values.
//! - Correctness checks that fail only for some state of the method's object (`self.items`
//!   empty) are not reported (counted as unseen): the class's invariants are set up by code
//!   we do not follow.
//! - Likewise for values a loop body changes in ways not followed (widened to anything):
//!   range targets and counters that only grow stay exact and are judged.
//! - Violated only through the result of a call we cannot see (an opaque symbol) for
//!   correctness and value checks: not reported (counted as unseen). Data checks (code
//!   or SQL built from data) treat such results as arbitrary data and do report them.
//! - In a private helper (`_name`), a correctness violation that needs particular
//!   argument values is not reported there: the module's own calls decide the arguments,
//!   and following those calls checks the helper's sites where the call is (a latent
//!   warning there when the caller's parameters can break it, an error when certain).
//! - Unknown (timeout, failed re-check): counted, never reported as proof or finding.
//! - Constant conditions are the exception: their obligation is "this branch can be
//!   taken", so a proof is the finding and a model is nothing.

use super::Pending;
use super::exec::{Site, SiteKind};
use super::sinks::RuleIndex;
use super::value::Symbols;
use crate::finding::{FileReport, Finding, Proof, Severity, VerdictKind};
use crate::ir::Module;
use crate::solve::{Obligation, Outcome};
use crate::term::{self, Origin, Symbol, T, Val};

/// Attach the symbol table and the axioms that concern the site's symbols.
pub fn to_pending(site: Site, syms: &Symbols) -> Pending {
    let mut ids = Vec::new();
    site.bad.symbols(&mut ids);
    for c in &site.pc {
        c.symbols(&mut ids);
    }
    for (_, t) in &site.shown {
        t.symbols(&mut ids);
    }
    // Axioms that mention any symbol of the site, to a fixpoint (they can chain views).
    let mut pc = site.pc.clone();
    let mut used = vec![false; syms.axioms.len()];
    loop {
        let mut added = false;
        for (i, ax) in syms.axioms.iter().enumerate() {
            if used[i] {
                continue;
            }
            let mut ax_ids = Vec::new();
            ax.symbols(&mut ax_ids);
            if ax_ids.iter().any(|x| ids.contains(x)) {
                used[i] = true;
                added = true;
                for x in ax_ids {
                    if !ids.contains(&x) {
                        ids.push(x);
                    }
                }
                pc.push(ax.clone());
            }
        }
        if !added {
            break;
        }
    }
    ids.sort_unstable();
    let symbols: Vec<Symbol> = ids
        .iter()
        .filter_map(|id| syms.symbol(*id).cloned())
        .collect();
    let sources = symbols
        .iter()
        .filter(|s| s.origin == Origin::Source)
        .filter_map(|s| Some((s.id, syms.source_span(s.id)?)))
        .collect();
    Pending {
        sources,
        obligation: Obligation {
            path_condition: pc,
            bad: site.bad.clone(),
            symbols,
            shown: site.shown.clone(),
        },
        site,
    }
}

/// The first site of a constant-condition pair, waiting for the second (sites of one file
/// are decided in order).
pub type PendingPair = Option<(crate::ir::Span, Option<bool>, Pending)>;

fn bad_origins(ob: &Obligation) -> Vec<Origin> {
    let mut ids = Vec::new();
    ob.bad.symbols(&mut ids);
    ids.iter()
        .filter_map(|id| ob.symbols.iter().find(|s| s.id == *id).map(|s| s.origin))
        .collect()
}

pub fn decide(
    report: &mut FileReport,
    module: &Module,
    index: &RuleIndex,
    p: Pending,
    outcome: Outcome,
    pair: &mut PendingPair,
) {
    let Some(rule) = index.by_id(&p.site.rule) else {
        return;
    };
    // A site seen while following a call: the callee's own analysis already proved,
    // counted or reported it in general; here only a violation the call makes certain
    // (no symbol left in the bad condition) is news, reported at the call site.
    // A private helper's sites are the exception: its own analysis left what its
    // arguments must satisfy to its callers, so here they are judged like the caller's.
    let judged_like_callers = p.site.from_private && p.site.kind == SiteKind::Correctness;
    // Data from a source that the call passes in makes the callee's violation the call's
    // own: `run(request.args["cmd"])` is where the attacker's data enters `run`.
    let from_source = p.site.kind != SiteKind::ConstantCondition
        && only_sources_and_constants(&bad_origins(&p.obligation));
    if p.site.inlined
        && (p.site.kind == SiteKind::ConstantCondition
            || !matches!(outcome, Outcome::Violated { .. })
            || (!judged_like_callers && !from_source && !bad_origins(&p.obligation).is_empty()))
    {
        return;
    }
    // A constant condition is found by proof: "the branch can be taken" is unsatisfiable.
    // Its two sites arrive in order ("can be false", then "can be true"); the first
    // outcome waits for the second, because both proved means the path is dead, which
    // is not this condition's fault.
    if p.site.kind == SiteKind::ConstantCondition {
        let proved = match outcome {
            Outcome::Proved => Some(true),
            Outcome::Violated { .. } => Some(false),
            Outcome::Unknown(_) => None,
        };
        if p.site.property != super::exec::CC_FALSE {
            *pair = Some((p.site.span, proved, p));
            return;
        }
        let Some((span, first, first_p)) = pair.take() else {
            return;
        };
        if span != p.site.span {
            return;
        }
        let reported = match (first, proved) {
            (None, _) | (_, None) => {
                report.unknown += 1;
                return;
            }
            (Some(true), Some(false)) if first_p.site.property == super::exec::CC_TRUE => first_p,
            (Some(false), Some(true)) => p,
            _ => return,
        };
        report.findings.push(Finding {
            rule: rule.id.clone(),
            name: rule.name.clone(),
            cwe: rule.cwe.clone(),
            severity: rule.severity,
            path: module.path.clone(),
            span: reported.site.span,
            message: reported.site.message.clone(),
            verdict: VerdictKind::Violated,
            witness: None,
            shown: Vec::new(),
            latent: false,
            help: rule.help.clone(),
            fix: None,
            related: Vec::new(),
            flow: Vec::new(),
        });
        return;
    }
    match outcome {
        // Only half of the property was asked: the site is not proved, nor undecided.
        Outcome::Proved if p.site.partial => {}
        Outcome::Proved => report.proofs.push(Proof {
            rule: rule.id.clone(),
            path: module.path.clone(),
            span: p.site.span,
            property: p.site.property.clone(),
        }),
        Outcome::Unknown(reason) => {
            report.unknown += 1;
            // Only the wall-clock guards depend on the machine's load: say when one fired.
            if crate::solve::is_wall_clock(&reason) {
                let note = "the solver's wall-clock guard stopped a query here; the sites it \
                            left undecided may be decided on another run"
                    .to_string();
                if !report.notes.contains(&note) {
                    report.notes.push(note);
                }
            }
        }
        Outcome::Violated { witness, shown } => {
            let origins = bad_origins(&p.obligation);
            let source = origins.contains(&Origin::Source);
            let opaque = origins.contains(&Origin::Opaque);
            // Whoever controls an unknown call's result is not known to be an attacker:
            // under the threat model only a source (or a caller, for a latent warning)
            // makes a data check's violation worth reporting.
            if opaque && !source {
                report.unseen += 1;
                return;
            }
            if rule.sources_only && !source {
                return;
            }
            // A call does not make certain a violation whose path in the callee needs a
            // particular result of an unknown call (or object state) and nothing a caller
            // chooses: the witness lists only values that matter, and such a finding
            // would rest on a guess (`if t == prev:` with `t` from `self.expand()`).
            let unseen = |o: Origin| matches!(o, Origin::Opaque | Origin::State | Origin::Widened);
            let chosen = |o: Origin| matches!(o, Origin::Param | Origin::Havoc);
            if p.site.kind == SiteKind::Correctness
                && p.site.inlined
                && witness.iter().any(|(s, _)| unseen(s.origin))
                && !witness.iter().any(|(s, _)| chosen(s.origin))
            {
                report.unseen += 1;
                return;
            }
            // Other checks show only the values the violation is about.
            let cone = crate::solve::cone(&p.obligation);
            let witness: Vec<_> = witness
                .into_iter()
                .filter(|(s, _)| cone.contains(&s.id))
                .collect();
            // Object state (`self.items`) holds invariants its class sets up elsewhere: an
            // index or divisor that fails only for some object state is not a finding here.
            // Likewise a value a loop changed in ways we did not follow: the witness would be a
            // guess about the loop, not a run of the program.
            if p.site.kind == SiteKind::Correctness
                && (origins.contains(&Origin::State) || origins.contains(&Origin::Widened))
            {
                report.unseen += 1;
                return;
            }
            // An assert about parameters is a precondition the author states on purpose; one about
            // loop-widened values is an invariant we cannot prove and should not call false.
            if p.site.kind == SiteKind::Correctness
                && rule_is_assert(index, &p.site.rule)
                && origins.iter().any(|o| super::is_assumption(*o))
            {
                return;
            }
            // Tests lean on invariants on purpose (`[... if ...][0]` takes the match the
            // test set up); a latent correctness warning there is noise, a certain one is not.
            if p.site.kind == SiteKind::Correctness
                && origins.iter().any(|o| super::is_assumption(*o))
                && super::secrets::is_test_path(&module.path)
            {
                return;
            }
            // Which symbols the violation leans on, beyond plain reachability. A source's
            // data is adversarial: any value it can hold is one an attacker sends.
            let latent = !source && origins.iter().any(|o| super::is_assumption(*o));
            // A private helper (`_parse(bits)`) is called by its module's own code, which
            // decides its arguments: the violation is checked at those calls instead.
            if latent && p.site.kind == SiteKind::Correctness && p.site.in_private {
                return;
            }
            let severity = if latent {
                rule.severity.min(Severity::Warning)
            } else {
                rule.severity
            };
            // An assert in a test is the test's own check: one that fails is a failing test,
            // which the test run reports with the real values. A note, never an error.
            let severity = if rule_is_assert(index, &p.site.rule)
                && super::secrets::is_test_path(&module.path)
            {
                Severity::Note
            } else {
                severity
            };
            let witness_text = render_witness(&witness);
            let shown_text: Vec<(String, String)> = shown
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect();
            let help = rule.help.clone();
            // Where the attacker's data was read, for each source value the witness names.
            let mut flow: Vec<crate::finding::Related> = Vec::new();
            for (s, _) in &witness {
                if let Some((_, span)) = p.sources.iter().find(|(id, _)| *id == s.id)
                    && !flow.iter().any(|r| r.span == *span)
                {
                    flow.push(crate::finding::Related {
                        span: *span,
                        message: format!(
                            "source: `{}`",
                            crate::analyze::value::view_subject(&s.name)
                        ),
                        path: None,
                    });
                }
            }
            report.findings.push(Finding {
                rule: rule.id.clone(),
                name: rule.name.clone(),
                cwe: rule.cwe.clone(),
                severity,
                path: module.path.clone(),
                span: p.site.span,
                message: p.site.message.clone(),
                verdict: VerdictKind::Violated,
                witness: if witness_text.is_empty() {
                    None
                } else {
                    Some(witness_text)
                },
                shown: shown_text,
                latent,
                help,
                fix: p.site.fix.clone(),
                related: p.site.related.clone(),
                flow,
            });
        }
    }
}

/// Whether a violation rests on source data and nothing a caller chooses.
fn only_sources_and_constants(origins: &[Origin]) -> bool {
    origins.contains(&Origin::Source) && origins.iter().all(|o| *o == Origin::Source)
}

/// A violation the callee has on its own (`pickle.load` in a helper) is reported once, in
/// the callee, not again at every call that follows it there.
///
/// Likewise one defect reported by two rules at nested calls with the same weaknesses
/// (`exec(compile(text))`: PY-S102 and PY-S103, both CWE-95/94) is reported once, by the
/// outer call, where the code runs.
pub fn drop_repeats_at_calls(findings: &mut Vec<Finding>) {
    drop_nested_same_weakness(findings);
    let certain: Vec<(String, crate::ir::Span)> = findings
        .iter()
        .filter(|f| !f.latent)
        .map(|f| (f.rule.clone(), f.span))
        .collect();
    findings.retain(|f| {
        !f.related.iter().any(|r| {
            r.message.starts_with(super::exec::FOLLOWED_INTO)
                && certain
                    .iter()
                    .any(|(rule, span)| *rule == f.rule && *span == r.span)
        })
    });
}

/// Drops a finding that lies inside another finding's span when both name the same CWEs
/// and the outer one is at least as severe.
fn drop_nested_same_weakness(findings: &mut Vec<Finding>) {
    let outer: Vec<(crate::ir::Span, Vec<u32>, Severity)> = findings
        .iter()
        .filter(|f| !f.cwe.is_empty())
        .map(|f| (f.span, f.cwe.clone(), f.severity))
        .collect();
    findings.retain(|f| {
        !outer.iter().any(|(span, cwe, severity)| {
            *span != f.span
                && span.start <= f.span.start
                && f.span.end <= span.end
                && *cwe == f.cwe
                && *severity >= f.severity
        })
    });
}

fn rule_is_assert(index: &RuleIndex, id: &str) -> bool {
    index.builtin("assert-fails").is_some_and(|r| r.id == id)
}

/// Witness values as Python would write them; internal helper symbols are left out and
/// `len(x) = 0` reads `x = []`.
pub fn render_witness(w: &[(Symbol, Val)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let names: Vec<&str> = w.iter().map(|(s, _)| s.name.as_str()).collect();
    for (s, v) in w {
        let name = s.name.as_str();
        if INTERNAL.contains(&name)
            || name.ends_with(" is a constant")
            || name.ends_with(" is unsafe")
        {
            continue;
        }
        // `x is None = False` next to a value of `x` says nothing more.
        if let Some(base) = name.strip_suffix(" is None")
            && *v == Val::Bool(false)
            && names
                .iter()
                .any(|n| *n == base || *n == format!("len({base})"))
        {
            continue;
        }
        // A truthiness view next to a length view of the same variable says nothing more.
        if s.sort == term::Sort::Bool && names.contains(&format!("len({name})").as_str()) {
            continue;
        }
        if let Some(inner) = name.strip_prefix("len(").and_then(|n| n.strip_suffix(')'))
            && *v == Val::Int(0)
        {
            out.push((inner.to_string(), "[]".into()));
            continue;
        }
        out.push((name.to_string(), v.to_string()));
    }
    out
}

const INTERNAL: &[&str] = &[
    "?",
    "pattern matches",
    "mode has the bits",
    "len",
    "text",
    "number",
    "char",
    "comparison",
    "case",
    "float",
    "exception raised",
    "loop exit",
    "result",
];

/// Lexical secret findings, as sites with a constant bad condition.
pub fn secret_sites(module: &Module, index: &RuleIndex) -> Vec<Pending> {
    let mut out = Vec::new();
    for hit in super::secrets::scan(module) {
        let Some(rule) = index.by_id(hit.rule).or_else(|| index.builtin(hit.rule)) else {
            continue;
        };
        let site = Site {
            rule: rule.id.clone(),
            span: hit.span,
            pc: Vec::new(),
            bad: term::boolean(true),
            shown: Vec::new(),
            message: hit.message,
            property: String::new(),
            kind: SiteKind::SecurityValue,
            fix: None,
            related: Vec::new(),
            inlined: false,
            from_private: false,
            in_private: false,
            contract: false,
            partial: false,
            folded: false,
        };
        out.push(to_pending(site, &Symbols::default()));
    }
    out
}

#[allow(dead_code)]
fn _assert_send(_: T) {}
