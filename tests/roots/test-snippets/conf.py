# Test root for tests/test_snippets.py: every docs snippet is built here as the
# root document, once from its .rst file and once from its .md file.
#
# The test copies docs/episodes.toml and docs/wiki/data/platforms.toml in, so the
# snippets see the same episode registry and data file as the docs, and writes the
# snippet itself as index.rst or index.md.  The wiki/ pages are stand-ins for the
# docs pages that snippets link to (absolute targets such as /wiki/mlops).
extensions = ["sphinx_opsboundary", "myst_parser", "sphinx_design"]
project = "snippets"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
nitpicky = True
opsboundary_episodes_file = "episodes.toml"
