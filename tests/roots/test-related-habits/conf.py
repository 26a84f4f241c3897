extensions = ["myst_parser", "sphinx_opsboundary"]
project = "related-habits"
exclude_patterns = ["_build"]
