"""Statistics endpoints: request values are adversarial for arithmetic too."""

from flask import Flask, request

app = Flask(__name__)
PAGE_SIZES = [10, 25, 50]


@app.get("/average")
def average():
    total_score = request.args.get("total_score", type=int)
    total_count = request.args.get("total_count", type=int)
    return {"avg": total_score / total_count}  # expect: PY-A001


@app.get("/average-checked")
def average_checked():
    total_score = request.args.get("total_score", type=int)
    total_count = request.args.get("total_count", type=int)
    if not total_count:
        return {"avg": 0}
    return {"avg": total_score / total_count}  # ok: PY-A001


@app.get("/page-size")
def page_size():
    i = int(request.args["size"])
    return {"size": PAGE_SIZES[i]}  # expect: PY-A003


@app.get("/page-size-checked")
def page_size_checked():
    i = int(request.args["size"])
    if 0 <= i < len(PAGE_SIZES):
        return {"size": PAGE_SIZES[i]}  # ok: PY-A003
    return {"size": PAGE_SIZES[0]}  # ok: PY-A003


@app.get("/share/<int:part>/<int:whole>")
def share(part, whole):
    """Route parameters come from the URL."""
    return {"share": part / whole}  # expect: PY-A001


def ratio(a: int, b: int) -> float:
    return a / b


@app.get("/ratio")
def ratio_view():
    return {"r": ratio(1, int(request.args["b"]))}  # expect: PY-A001
