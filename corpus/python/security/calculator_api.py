"""A tiny calculator microservice generated for the internal tools portal."""

import ast
import operator

from flask import Flask, jsonify, request

app = Flask(__name__)

_BIN_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
}


@app.post("/calc")
def calc():
    """Evaluate the arithmetic expression sent in the JSON body."""
    payload = request.get_json(force=True)
    expression: str = payload.get("expression", "")
    result = eval(expression)  # expect: PY-S101
    return jsonify({"result": result})


@app.get("/calc/demo")
def calc_demo():
    """Return a fixed example so the front end can show the format."""
    return jsonify({"result": eval("6 * 7")})  # ok: PY-S101


def safe_calc(expression: str) -> int:
    """Evaluate + - * on integer literals without running any code."""
    tree = ast.parse(expression, mode="eval")
    return _eval_node(tree.body)


def _eval_node(node: ast.AST) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BIN_OPS:
        fn = _BIN_OPS[type(node.op)]
        return fn(_eval_node(node.left), _eval_node(node.right))
    raise ValueError("unsupported expression")


@app.post("/parse")
def parse_literal():
    """Parse a Python literal (list, dict, number) from the request body."""
    raw = request.get_data(as_text=True)
    return jsonify({"value": ast.literal_eval(raw)})
