"""Loads sphinx-design on behalf of the project, as some themes and extensions do."""


def setup(app):
    app.setup_extension("sphinx_design")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
