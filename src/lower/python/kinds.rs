//! Node-kind and field tables for tree-sitter-python, resolved once per process.
//!
//! `Node::kind()` re-measures and re-validates a C string on every call and
//! `child_by_field_name` searches the field table; both are hot in lowering, so kinds are
//! mapped to a small enum through a table indexed by the public symbol id, and field ids
//! are looked up once.

use std::sync::OnceLock;

use tree_sitter::Language;

use super::ast::Node;

macro_rules! kinds {
    ($($variant:ident = $name:literal,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Kind {
            $($variant,)*
            Error,
            Other,
        }
        const KIND_NAMES: &[(Kind, &str)] = &[$((Kind::$variant, $name),)*];
    };
}

kinds! {
    Module = "module",
    Block = "block",
    ExpressionStatement = "expression_statement",
    Assignment = "assignment",
    AugmentedAssignment = "augmented_assignment",
    IfStatement = "if_statement",
    ElifClause = "elif_clause",
    ElseClause = "else_clause",
    WhileStatement = "while_statement",
    ForStatement = "for_statement",
    TryStatement = "try_statement",
    ExceptClause = "except_clause",
    FinallyClause = "finally_clause",
    WithStatement = "with_statement",
    WithClause = "with_clause",
    WithItem = "with_item",
    MatchStatement = "match_statement",
    CaseClause = "case_clause",
    CasePattern = "case_pattern",
    ReturnStatement = "return_statement",
    RaiseStatement = "raise_statement",
    BreakStatement = "break_statement",
    ContinueStatement = "continue_statement",
    PassStatement = "pass_statement",
    AssertStatement = "assert_statement",
    DeleteStatement = "delete_statement",
    GlobalStatement = "global_statement",
    NonlocalStatement = "nonlocal_statement",
    ImportStatement = "import_statement",
    ImportFromStatement = "import_from_statement",
    FutureImportStatement = "future_import_statement",
    AliasedImport = "aliased_import",
    DottedName = "dotted_name",
    RelativeImport = "relative_import",
    ImportPrefix = "import_prefix",
    WildcardImport = "wildcard_import",
    FunctionDefinition = "function_definition",
    ClassDefinition = "class_definition",
    DecoratedDefinition = "decorated_definition",
    Decorator = "decorator",
    Parameters = "parameters",
    LambdaParameters = "lambda_parameters",
    TypedParameter = "typed_parameter",
    DefaultParameter = "default_parameter",
    TypedDefaultParameter = "typed_default_parameter",
    ListSplatPattern = "list_splat_pattern",
    DictionarySplatPattern = "dictionary_splat_pattern",
    KeywordSeparator = "keyword_separator",
    PositionalSeparator = "positional_separator",
    TuplePattern = "tuple_pattern",
    ListPattern = "list_pattern",
    PatternList = "pattern_list",
    PrintStatement = "print_statement",
    Chevron = "chevron",
    ExecStatement = "exec_statement",
    TypeAliasStatement = "type_alias_statement",
    Type = "type",
    Identifier = "identifier",
    Attribute = "attribute",
    Call = "call",
    ArgumentList = "argument_list",
    KeywordArgument = "keyword_argument",
    ListSplat = "list_splat",
    DictionarySplat = "dictionary_splat",
    ParenthesizedListSplat = "parenthesized_list_splat",
    BinaryOperator = "binary_operator",
    UnaryOperator = "unary_operator",
    NotOperator = "not_operator",
    BooleanOperator = "boolean_operator",
    ComparisonOperator = "comparison_operator",
    ConditionalExpression = "conditional_expression",
    Lambda = "lambda",
    NamedExpression = "named_expression",
    List = "list",
    Tuple = "tuple",
    Set = "set",
    Dictionary = "dictionary",
    Pair = "pair",
    ListComprehension = "list_comprehension",
    SetComprehension = "set_comprehension",
    DictionaryComprehension = "dictionary_comprehension",
    GeneratorExpression = "generator_expression",
    ForInClause = "for_in_clause",
    IfClause = "if_clause",
    Subscript = "subscript",
    Slice = "slice",
    String = "string",
    ConcatenatedString = "concatenated_string",
    StringStart = "string_start",
    StringContent = "string_content",
    StringEnd = "string_end",
    Interpolation = "interpolation",
    TypeConversion = "type_conversion",
    FormatSpecifier = "format_specifier",
    FormatExpression = "format_expression",
    Integer = "integer",
    Float = "float",
    True = "true",
    False = "false",
    None = "none",
    Ellipsis = "ellipsis",
    Await = "await",
    Yield = "yield",
    ExpressionList = "expression_list",
    ParenthesizedExpression = "parenthesized_expression",
    AsPattern = "as_pattern",
    AsPatternTarget = "as_pattern_target",
    UnionPattern = "union_pattern",
    ClassPattern = "class_pattern",
    DictPattern = "dict_pattern",
    KeywordPattern = "keyword_pattern",
    SplatPattern = "splat_pattern",
    ComplexPattern = "complex_pattern",
    Comment = "comment",
}

macro_rules! fields {
    ($($field:ident = $name:literal,)*) => {
        /// Field ids; 0 (never a valid id) when the grammar lacks the field.
        pub(crate) struct Fields {
            $(pub $field: u16,)*
        }
        impl Fields {
            fn new(language: &Language) -> Self {
                Fields {
                    $($field: language.field_id_for_name($name).map_or(0, |f| f.get()),)*
                }
            }
        }
    };
}

fields! {
    left = "left",
    right = "right",
    ty = "type",
    operator = "operator",
    operators = "operators",
    condition = "condition",
    consequence = "consequence",
    alternative = "alternative",
    body = "body",
    name = "name",
    parameters = "parameters",
    value = "value",
    key = "key",
    function = "function",
    arguments = "arguments",
    object = "object",
    attribute = "attribute",
    subscript = "subscript",
    argument = "argument",
    alias = "alias",
    module_name = "module_name",
    expression = "expression",
    type_conversion = "type_conversion",
    format_specifier = "format_specifier",
    definition = "definition",
    superclasses = "superclasses",
    subject = "subject",
    guard = "guard",
}

pub(crate) struct Tables {
    kinds: Vec<Kind>,
    names: Vec<String>,
    pub f: Fields,
}

/// The tables for tree-sitter-python, built on first use.
pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        let count = language.node_kind_count();
        let mut kinds = vec![Kind::Other; count];
        for &(kind, name) in KIND_NAMES {
            let id = usize::from(language.id_for_node_kind(name, true));
            // Id 0 means "no such kind" (the grammar's end symbol); never map it.
            if id != 0
                && let Some(slot) = kinds.get_mut(id)
            {
                *slot = kind;
            }
        }
        let names = (0..count)
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        Tables {
            kinds,
            names,
            f: Fields::new(&language),
        }
    })
}

impl Tables {
    pub fn kind_of_id(&self, id: u16) -> Kind {
        if id == u16::MAX {
            return Kind::Error;
        }
        self.kinds
            .get(usize::from(id))
            .copied()
            .unwrap_or(Kind::Other)
    }

    pub fn name_of_id(&self, id: u16) -> &str {
        if id == u16::MAX {
            return "ERROR";
        }
        self.names.get(usize::from(id)).map_or("", String::as_str)
    }

    pub fn kind(&self, node: Node) -> Kind {
        self.kind_of_id(node.kind_id())
    }

    pub fn kind_ts(&self, node: tree_sitter::Node) -> Kind {
        self.kind_of_id(node.kind_id())
    }
}

/// Named children that carry syntax: error fragments are left out (errors are recorded
/// separately and never lowered as operands). Comments are not in the [`Node`] tree at all.
pub(crate) fn named<'a>(node: Node<'a>) -> impl Iterator<Item = Node<'a>> {
    node.children()
        .filter(|c| c.is_named() && !c.is_extra() && !c.is_error())
}

/// Children of a statement list: like [`named`] but keeping `ERROR` nodes, which the
/// block lowering turns into `Unsupported` statements (and mines for statements).
pub(crate) fn statements<'a>(node: Node<'a>) -> Vec<Node<'a>> {
    node.children()
        .filter(|c| c.is_error() || (c.is_named() && !c.is_extra()))
        .collect()
}

/// All children with their field ids (0 when the child has no field), extras skipped.
pub(crate) fn fielded<'a>(node: Node<'a>) -> impl Iterator<Item = (u16, Node<'a>)> {
    node.children()
        .filter(|c| !c.is_extra())
        .map(|c| (c.field(), c))
}
