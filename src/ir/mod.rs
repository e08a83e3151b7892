//! The language-neutral intermediate representation.
//!
//! Front ends (`lower::python`, `lower::rust`) produce a [`Module`]; every later stage
//! reads only this. The IR is untyped as Python is; Rust adds only what its arithmetic
//! needs: [`ExprKind::Cast`] carries integer types (declared or cast to), parameter
//! annotations name their types, and [`Module::language`] selects Rust semantics in the
//! analysis (fixed-width arithmetic instead of Python's unbounded ints). Bodies are kept *structured* (if/while/for/try as nested blocks) because
//! path conditions and joins fall out of the nesting for free; `ir::cfg` derives the
//! basic-block graph from the same data when a pass needs edges (reachability).
//!
//! Names are resolved during lowering: a [`ExprKind::Global`] is a fully qualified name
//! (`subprocess.run`, `builtins.eval`), a [`ExprKind::Local`] a function-local variable and a
//! [`ExprKind::ModuleVar`] a module-level variable. Nothing here borrows the syntax tree.

pub mod cfg;
pub mod walk;

use std::sync::Arc;

/// A source region. Bytes are offsets into the file's (lossily decoded) text; lines and
/// columns are 1-based, columns counted in bytes (reporting converts to characters).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Python,
    Rust,
}

#[derive(Clone, Debug)]
pub struct Module {
    pub path: String,
    pub language: Language,
    pub source: Arc<str>,
    /// Index 0 is the module body itself (a pseudo-function named `<module>`).
    pub functions: Vec<Function>,
    pub classes: Vec<Class>,
    pub imports: Vec<Import>,
    /// Module-level names bound exactly once, by a plain top-level assignment (not inside
    /// `if`/`try`/loops, never declared `global` in a function), with the assigned expression;
    /// the analysis treats them as constants.
    pub constants: Vec<(String, Expr)>,
    /// Regions the parser could not make sense of. The rest of the file is still lowered.
    pub syntax_errors: Vec<Span>,
    /// Comments, kept for suppressions and lexical rules (text without the leading marker).
    pub comments: Vec<(Span, String)>,
    /// String literals anywhere in the file, for lexical rules (secrets, placeholders).
    pub strings: Vec<(Span, Arc<str>)>,
    /// Lowering gave up somewhere (too deep, too large) and says why; analysis still runs.
    pub notes: Vec<String>,
}

impl Module {
    /// A module of this text with nothing lowered into it yet.
    pub fn new(path: &str, language: Language, source: Arc<str>) -> Module {
        Module {
            path: path.to_string(),
            language,
            source,
            functions: Vec::new(),
            classes: Vec::new(),
            imports: Vec::new(),
            constants: Vec::new(),
            syntax_errors: Vec::new(),
            comments: Vec::new(),
            strings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A module that stands for a file without its contents: its path and language only
    /// (an incremental run's files that nothing changed reaches).
    pub fn placeholder(path: &str, language: Language) -> Module {
        Module::new(path, language, Arc::from(""))
    }
}

pub type FuncId = usize;
pub type ClassId = usize;

#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    /// `Class.method`, `outer.<locals>.inner`, `<module>`.
    pub qualname: String,
    pub params: Vec<Param>,
    pub body: Block,
    pub span: Span,
    /// Span of the name in the `def` line (where diagnostics about the function point).
    pub name_span: Span,
    pub decorators: Vec<Expr>,
    pub class: Option<ClassId>,
    pub parent: Option<FuncId>,
    pub is_async: bool,
    /// Every name bound in this scope (assignment, for target, import, def, with-as...),
    /// excluding those declared `global`/`nonlocal`.
    pub locals: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub default: Option<Expr>,
    pub kind: ParamKind,
    pub annotation: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Positional,
    VarArgs,
    KeywordOnly,
    VarKeywords,
}

#[derive(Clone, Debug)]
pub struct Class {
    pub name: String,
    pub qualname: String,
    pub bases: Vec<Expr>,
    pub methods: Vec<FuncId>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// Fully qualified target: `a.b` for `import a.b`, `a.b.c` for `from a.b import c`,
    /// relative imports made absolute against the file's package when it can be inferred,
    /// else kept with their leading dots.
    pub qualname: String,
    /// The local name it is bound to (`c` in `import a.b as c`; `a` for plain `import a.b`).
    pub alias: String,
    pub span: Span,
    /// `from x import *`
    pub star: bool,
    /// Top-level package name as written (`a` for `import a.b`), used by package checks.
    pub top_level: String,
    /// Dots of a relative import (`from ..x import y` gives 2); 0 for absolute.
    pub level: u32,
    /// The import appears inside a function, `try` block or `if` (optional dependency).
    /// Rust: the crate name may instead be a name a glob `use` or a macro binds.
    pub conditional: bool,
}

pub type Block = Vec<Stmt>;

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// `a = b = value`; tuple targets are [`Target::Tuple`].
    Assign {
        targets: Vec<Target>,
        value: Expr,
    },
    AnnAssign {
        target: Target,
        annotation: Expr,
        value: Option<Expr>,
    },
    AugAssign {
        target: Target,
        op: BinOp,
        value: Expr,
    },
    Expr(Expr),
    If {
        cond: Expr,
        then: Block,
        orelse: Block,
    },
    While {
        cond: Expr,
        body: Block,
        orelse: Block,
    },
    For {
        target: Target,
        iter: Expr,
        body: Block,
        orelse: Block,
        is_async: bool,
    },
    Try {
        body: Block,
        handlers: Vec<Handler>,
        orelse: Block,
        finally: Block,
    },
    With {
        items: Vec<WithItem>,
        body: Block,
    },
    Match {
        subject: Expr,
        cases: Vec<MatchCase>,
    },
    Return(Option<Expr>),
    Raise(Option<Expr>),
    Break,
    Continue,
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    Pass,
    Delete(Vec<Expr>),
    /// A nested `def`; the body lives in `Module::functions`.
    FunctionDef(FuncId),
    ClassDef(ClassId),
    /// Index into `Module::imports` for each name the statement binds.
    Import(Vec<usize>),
    Global(Vec<String>),
    Nonlocal(Vec<String>),
    /// A statement the front end does not model (kept so spans stay meaningful).
    Unsupported(String),
}

#[derive(Clone, Debug)]
pub struct Handler {
    /// Exception types caught; empty for a bare `except:`.
    pub types: Vec<Expr>,
    pub name: Option<String>,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Target>,
}

#[derive(Clone, Debug)]
pub struct MatchCase {
    pub pattern: Pattern,
    pub guard: Option<Expr>,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Pattern {
    /// `_` or a bare capture name (`case x:`; the name binds the subject).
    Wildcard(Option<String>),
    /// A literal or dotted constant compared with `==`.
    Value(Expr),
    /// `p1 | p2`.
    Or(Vec<Pattern>),
    /// `[a, b, *rest]` / `(a, b)`: exact length unless `star` is set.
    Sequence { items: Vec<Pattern>, star: bool },
    /// `p as name`.
    As(Box<Pattern>, String),
    /// Class patterns, mappings and anything else: matches an unknown subset.
    Other,
}

#[derive(Clone, Debug)]
pub enum Target {
    Local(String, Span),
    /// A module-level name (assignment at module level or under `global`).
    ModuleVar(String, Span),
    Attribute {
        value: Box<Expr>,
        attr: String,
        span: Span,
    },
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
    Tuple(Vec<Target>, Span),
    Starred(Box<Target>, Span),
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Const(Const),
    Local(String),
    ModuleVar(String),
    /// A variable of an enclosing function's scope (a closure capture).
    Free(String),
    /// A resolved global: an imported name or a builtin (`builtins.len`).
    Global(String),
    Attribute {
        value: Box<Expr>,
        attr: String,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Arg>,
    },
    BinOp {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    UnaryOp {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    /// `a and b and c`
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    /// `a < b <= c`
    Compare {
        left: Box<Expr>,
        ops: Vec<(CmpOp, Expr)>,
    },
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// `None` keys are `**spread` entries.
    Dict(Vec<(Option<Expr>, Expr)>),
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    /// f-string: literal text and formatted values in order.
    FString(Vec<FPart>),
    Lambda {
        params: Vec<Param>,
        body: Box<Expr>,
    },
    /// List/set/dict/generator comprehension, kept coarse: the element expression(s),
    /// the loop targets and iterables, and the filters.
    Comprehension {
        kind: CompKind,
        element: Box<Expr>,
        /// For dict comprehensions, the value expression.
        value: Option<Box<Expr>>,
        generators: Vec<Generator>,
    },
    /// `(name := value)`
    NamedExpr {
        target: String,
        value: Box<Expr>,
    },
    Await(Box<Expr>),
    Yield(Option<Box<Expr>>),
    Starred(Box<Expr>),
    /// Rust: the value as a fixed-width integer type (`u32`, `isize`; other type names
    /// are kept as written and mean "not an integer"). `explicit` is an `as` cast the
    /// code wrote, which can change the value; otherwise it is a type the code declares
    /// for the value (a literal suffix, a `let` or parameter annotation, a field or
    /// return type), which only tells the analysis the type.
    Cast {
        value: Box<Expr>,
        ty: String,
        explicit: bool,
    },
    /// An expression the front end could not lower (syntax error, unsupported form).
    Unknown,
}

#[derive(Clone, Debug)]
pub enum FPart {
    Lit(Arc<str>),
    Value {
        value: Expr,
        /// `!r`, `!s`, `!a`
        conversion: Option<char>,
        /// Format spec text, e.g. `.2f` (nested replacement fields are dropped).
        spec: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    Generator,
}

#[derive(Clone, Debug)]
pub struct Generator {
    pub target: Target,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    pub is_async: bool,
}

#[derive(Clone, Debug)]
pub struct Arg {
    /// `None` for positional arguments.
    pub keyword: Option<String>,
    pub value: Expr,
    /// `*args` (`Star`) or `**kwargs` (`DoubleStar`) at the call site.
    pub unpack: Unpack,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpack {
    None,
    Star,
    DoubleStar,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    None,
    Bool(bool),
    /// Python ints are unbounded; literals beyond i128 lower to `BigInt` text.
    Int(i128),
    BigInt(String),
    Float(f64),
    Complex(String),
    Str(Arc<str>),
    Bytes(Arc<[u8]>),
    Ellipsis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    MatMul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
    Invert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// Dotted name of a `Global` or an attribute chain rooted at one
    /// (`hashlib.md5`, `yaml.Loader`), if the expression is such a chain.
    pub fn qualified_name(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Global(q) => Some(q.clone()),
            ExprKind::Attribute { value, attr } => {
                value.qualified_name().map(|q| format!("{q}.{attr}"))
            }
            _ => None,
        }
    }

    pub fn as_str_const(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Const(Const::Str(s)) => Some(s),
            _ => None,
        }
    }
}

impl Module {
    pub fn module_function(&self) -> Option<&Function> {
        self.functions.first()
    }

    pub fn import_by_alias(&self, alias: &str) -> Option<&Import> {
        self.imports.iter().find(|i| i.alias == alias)
    }
}
