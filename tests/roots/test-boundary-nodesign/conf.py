extensions = ["sphinx_opsboundary"]
exclude_patterns = ["_build"]
project = "boundary-nodesign"
