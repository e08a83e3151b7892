//! Abstract values of the symbolic executor and their views as terms.
//!
//! A value the analysis cannot pin down (a parameter, the result of an unknown call) is an
//! [`Value::Unknown`] with a *base*; typed views of it (as an int, as a str, its length, its
//! truthiness) are created lazily as symbols, and axioms tie the views of one base
//! together (`truthy ⟺ len > 0`), so that `if not values: return` constrains `len(values)`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::term::{self, Origin, Sort, SymId, Symbol, T};

pub type BaseId = u32;

#[derive(Clone, Debug)]
pub enum Value {
    None,
    Int(T),
    Bool(T),
    Str(T),
    /// A float: its value when known.
    Float(Option<f64>),
    /// A float computed from float parameters, as a double-valued term: what the
    /// exactness of `==` is decided on.
    FloatExpr(T),
    /// list/tuple/set with known items (when `items` is Some) and a length term.
    Seq {
        kind: SeqKind,
        items: Option<Vec<Value>>,
        len: T,
    },
    Dict {
        len: T,
    },
    /// A global object by qualified name: a module, function, class or constant
    /// (`yaml.SafeLoader`, `ssl.CERT_NONE`).
    Global(Arc<str>),
    /// A function defined in this module.
    Func(usize),
    /// An object of a known type with nothing else known about it (a module-level
    /// `session = requests.Session()` seen from inside a function).
    Instance(Arc<str>),
    /// A compiled regular expression with its pattern text.
    Regex(Arc<str>),
    Unknown(BaseId),
    /// `if c then a else b`, from a join of two paths or a conditional expression.
    Phi(T, Box<Value>, Box<Value>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeqKind {
    List,
    Tuple,
    Set,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum View {
    Int,
    Str,
    Truthy,
    Len,
    IsNone,
    /// The value as a double (a float parameter in float arithmetic).
    Float,
    /// Rust: the value as a fixed-width integer of this type.
    Bits(term::IntTy),
    /// Rust: `v.len()`, a `usize`.
    RustLen,
}

#[derive(Clone, Debug)]
pub struct Base {
    pub name: String,
    pub origin: Origin,
    /// For results of calls: the callee's qualified name, which acts as the value's type
    /// (`requests.Session`), so methods called on it resolve to `requests.Session.get`.
    pub type_name: Option<Arc<str>>,
}

/// Symbols and bases of one function analysis.
#[derive(Default)]
pub struct Symbols {
    pub symbols: Vec<Symbol>,
    pub bases: Vec<Base>,
    views: HashMap<(BaseId, View), SymId>,
    view_of: HashMap<SymId, (BaseId, View)>,
    /// Facts that hold everywhere (`len(x) >= 0`, `truthy(x) ⟺ len(x) > 0`), each with
    /// the symbols it mentions, added to obligations that mention those symbols.
    pub axioms: Vec<T>,
    /// Where each source's data was read, for the flow a finding shows.
    source_spans: HashMap<BaseId, crate::ir::Span>,
}

impl Symbols {
    pub fn new_base(&mut self, name: &str, origin: Origin, type_name: Option<Arc<str>>) -> BaseId {
        self.bases.push(Base {
            name: name.to_string(),
            origin,
            type_name,
        });
        (self.bases.len() - 1) as BaseId
    }

    pub fn fresh(&mut self, name: &str, sort: Sort, origin: Origin) -> T {
        let id = self.symbols.len() as SymId;
        self.symbols.push(Symbol {
            id,
            name: name.to_string(),
            sort,
            origin,
        });
        term::sym(id, sort)
    }

    pub fn symbol(&self, id: SymId) -> Option<&Symbol> {
        self.symbols.get(id as usize)
    }

    /// The symbol for one view of an unknown base, created on first use.
    pub fn view(&mut self, base: BaseId, view: View) -> T {
        if let Some(id) = self.views.get(&(base, view)) {
            let sort = self.symbols[*id as usize].sort;
            return term::sym(*id, sort);
        }
        let Some(b) = self.bases.get(base as usize).cloned() else {
            return self.fresh("?", Sort::Int, Origin::Opaque);
        };
        let (name, sort) = match view {
            View::Int => (b.name.clone(), Sort::Int),
            View::Str => (b.name.clone(), Sort::Str),
            // Named after the variable itself: for the flags that truthiness is usually about,
            // `use_shell = True` is the readable witness.
            View::Truthy => (b.name.clone(), Sort::Bool),
            View::Len => (format!("len({})", b.name), Sort::Int),
            View::IsNone => (format!("{} is None", b.name), Sort::Bool),
            View::Float => (b.name.clone(), Sort::Float),
            View::Bits(ty) => (b.name.clone(), Sort::Bits(ty)),
            View::RustLen => (format!("{}.len()", b.name), Sort::Bits(USIZE)),
        };
        let t = self.fresh(&name, sort, b.origin);
        if let Term::Sym(id, _) = &*t {
            self.views.insert((base, view), *id);
            self.view_of.insert(*id, (base, view));
        }
        // Tie the new view to the ones that exist so guards on one constrain the others.
        let truthy = self
            .views
            .get(&(base, View::Truthy))
            .map(|id| term::sym(*id, Sort::Bool));
        let is_none = self
            .views
            .get(&(base, View::IsNone))
            .map(|id| term::sym(*id, Sort::Bool));
        match view {
            View::Len => {
                self.axioms.push(term::ge(&t, &term::int(0)));
                if let Some(tr) = truthy {
                    self.axioms
                        .push(term::eq(&tr, &term::gt(&t, &term::int(0))));
                }
            }
            View::Int => {
                if let Some(tr) = truthy {
                    self.axioms
                        .push(term::eq(&tr, &term::ne(&t, &term::int(0))));
                }
            }
            View::Str => {
                if let Some(tr) = truthy {
                    self.axioms
                        .push(term::eq(&tr, &term::gt(&term::str_len(&t), &term::int(0))));
                }
            }
            View::Truthy => {
                if let Some(id) = self.views.get(&(base, View::Len)) {
                    let l = term::sym(*id, Sort::Int);
                    self.axioms.push(term::eq(&t, &term::gt(&l, &term::int(0))));
                }
                if let Some(id) = self.views.get(&(base, View::Int)) {
                    let i = term::sym(*id, Sort::Int);
                    self.axioms.push(term::eq(&t, &term::ne(&i, &term::int(0))));
                }
                if let Some(id) = self.views.get(&(base, View::Str)) {
                    let s = term::sym(*id, Sort::Str);
                    self.axioms
                        .push(term::eq(&t, &term::gt(&term::str_len(&s), &term::int(0))));
                }
                if let Some(n) = is_none {
                    self.axioms.push(term::implies(&n, &term::not(&t)));
                }
            }
            View::IsNone => {
                if let Some(tr) = truthy {
                    self.axioms.push(term::implies(&t, &term::not(&tr)));
                }
            }
            // A double is tied to nothing else: its int view is another approximation.
            View::Float => {}
            // Rust values have one type: no Python views to tie them to.
            View::Bits(_) => {}
            // No allocation holds more than `isize::MAX` bytes: `a.len() + b.len()` fits.
            View::RustLen => self
                .axioms
                .push(term::le(&t, &term::bits(i64::MAX as u128, USIZE))),
        }
        t
    }

    /// Whether a view of the base was already created: an unknown whose length or
    /// truthiness the code has looked at is being used as a sized collection.
    pub fn has_view(&self, base: BaseId, view: View) -> bool {
        self.views.contains_key(&(base, view))
    }

    /// The base a view symbol belongs to.
    pub fn base_of_symbol(&self, id: SymId) -> Option<BaseId> {
        self.view_of.get(&id).map(|(b, _)| *b)
    }

    /// The base and view a view symbol stands for.
    pub fn view_of_symbol(&self, id: SymId) -> Option<(BaseId, View)> {
        self.view_of.get(&id).copied()
    }

    /// The type (callee name) of the value a view symbol belongs to.
    pub fn type_of_symbol(&self, id: SymId) -> Option<Arc<str>> {
        let (b, _) = self.view_of.get(&id)?;
        self.bases.get(*b as usize)?.type_name.clone()
    }

    pub fn base(&self, id: BaseId) -> Option<&Base> {
        self.bases.get(id as usize)
    }

    /// Remember where a source's data (base `b`) was read.
    pub fn mark_source(&mut self, b: BaseId, span: crate::ir::Span) {
        self.source_spans.insert(b, span);
    }

    /// Where the value a view symbol belongs to was read, when it is a source's data.
    pub fn source_span(&self, id: SymId) -> Option<crate::ir::Span> {
        let (b, _) = self.view_of.get(&id)?;
        self.source_spans.get(b).copied()
    }
}

use crate::term::Term;

/// Joins nested deeper than this become unknown, to keep terms small.
const MAX_PHI_DEPTH: usize = 6;

impl Value {
    pub fn int(i: i128) -> Value {
        Value::Int(term::int(i))
    }
    pub fn boolean(b: bool) -> Value {
        Value::Bool(term::boolean(b))
    }
    pub fn str(s: &str) -> Value {
        Value::Str(term::string(s))
    }

    fn phi_depth(&self) -> usize {
        match self {
            Value::Phi(_, a, b) => 1 + a.phi_depth().max(b.phi_depth()),
            _ => 0,
        }
    }

    /// The constant text of a str value, if known.
    pub fn const_str(&self) -> Option<&str> {
        match self {
            Value::Str(t) => t.as_str(),
            _ => None,
        }
    }

    pub fn is_constant(&self) -> bool {
        match self {
            Value::None
            | Value::Float(Some(_))
            | Value::Global(_)
            | Value::Func(_)
            | Value::Instance(_)
            | Value::Regex(_) => true,
            Value::Int(t) | Value::Bool(t) | Value::Str(t) => t.is_const(),
            Value::Seq {
                items: Some(items), ..
            } => items.iter().all(Value::is_constant),
            Value::Phi(c, a, b) => c.is_const() && a.is_constant() && b.is_constant(),
            _ => false,
        }
    }
}

/// Merge the values of two paths: `c ? a : b`.
pub fn join(c: &T, a: &Value, b: &Value, syms: &mut Symbols, name: &str) -> Value {
    match c.as_bool() {
        Some(true) => return a.clone(),
        Some(false) => return b.clone(),
        None => {}
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(term::ite(c, x, y)),
        (Value::Bool(x), Value::Bool(y)) => Value::Bool(term::ite(c, x, y)),
        (Value::Str(x), Value::Str(y)) => Value::Str(term::ite(c, x, y)),
        (Value::None, Value::None) => Value::None,
        (Value::Float(x), Value::Float(y)) if x == y => Value::Float(*x),
        (Value::Global(x), Value::Global(y)) if x == y => a.clone(),
        (Value::Unknown(x), Value::Unknown(y)) if x == y => a.clone(),
        (Value::Func(x), Value::Func(y)) if x == y => a.clone(),
        (
            Value::Seq {
                kind: k1,
                items: i1,
                len: l1,
            },
            Value::Seq {
                kind: k2,
                items: i2,
                len: l2,
            },
        ) if k1 == k2 => {
            let items = match (i1, i2) {
                (Some(x), Some(y)) if x.len() == y.len() => Some(
                    x.iter()
                        .zip(y.iter())
                        .map(|(p, q)| join(c, p, q, syms, name))
                        .collect(),
                ),
                _ => None,
            };
            Value::Seq {
                kind: *k1,
                items,
                len: term::ite(c, l1, l2),
            }
        }
        (Value::Dict { len: l1 }, Value::Dict { len: l2 }) => Value::Dict {
            len: term::ite(c, l1, l2),
        },
        _ => {
            if a.phi_depth().max(b.phi_depth()) >= MAX_PHI_DEPTH {
                let base = syms.new_base(name, Origin::Havoc, None);
                return Value::Unknown(base);
            }
            Value::Phi(c.clone(), Box::new(a.clone()), Box::new(b.clone()))
        }
    }
}

/// Python truthiness as a Bool term.
pub fn truthy(v: &Value, syms: &mut Symbols) -> T {
    match v {
        Value::None => term::boolean(false),
        Value::Int(t) => term::ne(t, &term::int(0)),
        Value::Bool(t) => t.clone(),
        Value::Str(t) => term::gt(&term::str_len(t), &term::int(0)),
        Value::Float(Some(f)) => term::boolean(*f != 0.0),
        Value::FloatExpr(t) => term::not(&term::feq(t, &term::float(0.0))),
        Value::Seq { len, .. } | Value::Dict { len } => term::gt(len, &term::int(0)),
        Value::Global(q) if !q.starts_with("builtins.") => {
            // An imported name can be any object, falsy ones included (`S.Zero`).
            syms.fresh(q, Sort::Bool, Origin::Opaque)
        }
        // A match object is always true (it is None when there is no match, which the
        // value says apart).
        Value::Instance(t) if &**t == "re.Match" => term::boolean(true),
        // A call's result keeps its type for the rules, not a truth value: a module-level
        // `lzma = import_module("lzma")` is None when the module is missing.
        Value::Instance(t) => syms.fresh(t, Sort::Bool, Origin::Opaque),
        Value::Global(_) | Value::Func(_) | Value::Regex(_) => term::boolean(true),
        Value::Unknown(b) => syms.view(*b, View::Truthy),
        Value::Phi(c, a, b) => {
            let ta = truthy(a, syms);
            let tb = truthy(b, syms);
            term::ite(c, &ta, &tb)
        }
        Value::Float(None) => syms.fresh("float", Sort::Bool, Origin::Opaque),
    }
}

/// The value as an Int term, when it can be one.
pub fn as_int(v: &Value, syms: &mut Symbols) -> Option<T> {
    match v {
        Value::Int(t) => Some(t.clone()),
        Value::Bool(t) => Some(term::ite(t, &term::int(1), &term::int(0))),
        Value::Unknown(b) => Some(syms.view(*b, View::Int)),
        Value::Float(Some(f)) if f.fract() == 0.0 && f.abs() < 1e18 => Some(term::int(*f as i128)),
        Value::Phi(c, a, b) => {
            let x = as_int(a, syms)?;
            let y = as_int(b, syms)?;
            Some(term::ite(c, &x, &y))
        }
        _ => None,
    }
}

/// The value as a Str term (what `str(v)` / an f-string would produce), when modelled.
pub fn as_str(v: &Value, syms: &mut Symbols) -> Option<T> {
    match v {
        Value::Str(t) => Some(t.clone()),
        Value::Int(t) => Some(term::int_to_str(t)),
        Value::Bool(t) => Some(term::ite(t, &term::string("True"), &term::string("False"))),
        Value::None => Some(term::string("None")),
        Value::Float(Some(f)) => Some(term::string(&python_float_repr(*f))),
        Value::Unknown(b) => Some(syms.view(*b, View::Str)),
        Value::Phi(c, a, b) => {
            let x = as_str(a, syms)?;
            let y = as_str(b, syms)?;
            Some(term::ite(c, &x, &y))
        }
        _ => None,
    }
}

/// The value's length as an Int term (`len(v)`), when it has one.
pub fn length(v: &Value, syms: &mut Symbols) -> Option<T> {
    match v {
        Value::Str(t) => Some(term::str_len(t)),
        Value::Seq { len, .. } | Value::Dict { len } => Some(len.clone()),
        Value::Unknown(b) => Some(syms.view(*b, View::Len)),
        Value::Phi(c, a, b) => {
            let x = length(a, syms)?;
            let y = length(b, syms)?;
            Some(term::ite(c, &x, &y))
        }
        _ => None,
    }
}

/// The value as a double term, when it can be one: float constants and expressions, int
/// constants (promoted as Python does), and unknowns through their float view.
pub fn as_float(v: &Value, syms: &mut Symbols) -> Option<T> {
    match v {
        Value::Float(Some(f)) if f.is_finite() => Some(term::float(*f)),
        Value::FloatExpr(t) => Some(t.clone()),
        Value::Int(t) => t.as_int().map(|i| term::float(i as f64)),
        Value::Unknown(b) => Some(syms.view(*b, View::Float)),
        _ => None,
    }
}

/// Rust's `usize` (64 bits).
pub const USIZE: term::IntTy = term::IntTy {
    bits: 64,
    signed: false,
    size: true,
};

/// The value as a fixed-width integer of type `ty`: a typed value of that type, an
/// untyped integer constant (a literal takes the type its use gives it), an unknown
/// through its view of that type. `None` for values of another type.
pub fn as_bits(v: &Value, ty: term::IntTy, syms: &mut Symbols) -> Option<T> {
    match v {
        Value::Int(t) => match (t.sort(), t.as_int()) {
            (Sort::Bits(have), _) if have.bits == ty.bits && have.signed == ty.signed => {
                Some(t.clone())
            }
            (Sort::Int, Some(c)) => Some(term::bits_of_int(c, ty)),
            _ => None,
        },
        Value::Bool(b) => Some(term::ite(b, &term::bits(1, ty), &term::bits(0, ty))),
        Value::Unknown(b) => Some(syms.view(*b, View::Bits(ty))),
        Value::Phi(c, a, b) => {
            let x = as_bits(a, ty, syms)?;
            let y = as_bits(b, ty, syms)?;
            Some(term::ite(c, &x, &y))
        }
        _ => None,
    }
}

/// The fixed-width type of a Rust value, when it has one.
pub fn bits_type(v: &Value) -> Option<term::IntTy> {
    match v {
        Value::Int(t) => term::int_ty(t),
        Value::Phi(_, a, b) => bits_type(a).or_else(|| bits_type(b)),
        _ => None,
    }
}

/// Rust's `v.len()` as a `usize`, when `v` has a length.
pub fn rust_len(v: &Value, syms: &mut Symbols) -> Option<T> {
    match v {
        Value::Str(t) => t.as_str().map(|s| term::bits(s.len() as u128, USIZE)),
        Value::Seq { len, .. } | Value::Dict { len } => match len.as_int() {
            Some(n) => Some(term::bits_of_int(n, USIZE)),
            None => (term::int_ty(len) == Some(USIZE)).then(|| len.clone()),
        },
        Value::Unknown(b) => Some(syms.view(*b, View::RustLen)),
        Value::Phi(c, a, b) => {
            let x = rust_len(a, syms)?;
            let y = rust_len(b, syms)?;
            Some(term::ite(c, &x, &y))
        }
        _ => None,
    }
}

/// The variable a view symbol is named after: `xs` for `len(xs)` and `xs is None`.
pub fn view_subject(name: &str) -> &str {
    name.strip_prefix("len(")
        .and_then(|n| n.strip_suffix(')'))
        .or_else(|| name.strip_suffix(" is None"))
        .unwrap_or(name)
}

/// `v is None` as a Bool term.
pub fn is_none(v: &Value, syms: &mut Symbols) -> T {
    match v {
        Value::None => term::boolean(true),
        Value::Unknown(b) => syms.view(*b, View::IsNone),
        Value::Phi(c, a, b) => {
            let x = is_none(a, syms);
            let y = is_none(b, syms);
            term::ite(c, &x, &y)
        }
        // An imported name can be None (`from .compat import lzma` where it is missing),
        // and so can a call's result.
        Value::Global(q) | Value::Instance(q) if !q.starts_with("builtins.") => {
            syms.fresh(&format!("{q} is None"), Sort::Bool, Origin::Opaque)
        }
        _ => term::boolean(false),
    }
}

pub use crate::term::python_float_repr;
