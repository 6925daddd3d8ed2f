"""The framework's floor: one Flask route returning a fixed string, served like the portal."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def fixed_string() -> str:
    return "Hello, World!"
