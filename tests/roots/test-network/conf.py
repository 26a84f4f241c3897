"""A small wiki for the network features (SPEC §7), with a local intersphinx inventory."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_inventory import write_inventory

write_inventory(os.path.join(os.path.dirname(os.path.abspath(__file__)), "other.inv"))

extensions = ["myst_parser", "sphinx.ext.intersphinx", "sphinx_opsboundary"]
project = "network"
exclude_patterns = ["_build"]
intersphinx_mapping = {
    "other": ("https://other.example.org/", "other.inv"),
    "gone": ("https://gone.example.org/", "missing.inv"),
}
intersphinx_disabled_reftypes = ["*"]
opsboundary_backlinks = ["*/alpha", "*/beta", "*/lonely"]
opsboundary_require_incoming = ["*/lonely", "*/hub"]
html_sidebars = {"**": []}  # Sphinx does not refresh other pages' navigation
