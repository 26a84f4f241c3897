extensions = ["sphinx_opsboundary", "myst_parser", "sphinx_design"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
project = "boundary"
