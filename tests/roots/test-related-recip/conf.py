extensions = ["myst_parser", "sphinx_opsboundary"]
project = "recip"
opsboundary_reciprocal = True
