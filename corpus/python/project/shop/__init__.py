"""A small shop package: the statistics helpers live in one module, the reports in others."""

from .stats import share_of  # re-exported for callers that import from the package
