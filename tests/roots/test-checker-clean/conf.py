extensions = ["sphinx_opsboundary"]
project = "clean"
