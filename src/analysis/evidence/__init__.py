"""The evidence: sourced fact tables, the one rule for bounds, the reproducibility ledger and its methods, the scorecard, uncertainty."""
