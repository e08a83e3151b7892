"""A to-do list web app (Flask), the entry point."""

from flask import Flask, jsonify, request

app = Flask(__name__)
TODOS: list[dict] = []


@app.get("/todos")
def list_todos():
    """Return every to-do item."""
    return jsonify(TODOS)


@app.post("/todos")
def add_todo():
    """Add a to-do item from the JSON body."""
    item = {"title": request.json["title"], "done": False}
    TODOS.append(item)
    return jsonify(item), 201


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)  # expect: PY-S701, PY-S702
