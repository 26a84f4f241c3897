import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# sphinx_design is not listed here: a local extension sets it up, as a theme or
# another extension might.
extensions = ["myst_parser", "sphinx_opsboundary", "design_loader"]
exclude_patterns = ["_build"]
project = "layout-messages"
