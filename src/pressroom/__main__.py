"""`python -m pressroom`: the same as the `pressroom` command."""

from .cli import app

app(prog_name="pressroom")
