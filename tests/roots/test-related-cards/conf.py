extensions = ["myst_parser", "sphinx_design", "sphinx_opsboundary"]
project = "cards"
