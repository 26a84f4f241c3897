extensions = ["sphinx_opsboundary", "myst_parser"]
exclude_patterns = ["_build"]
