"""Review: criteria, assignment, conflicts, reviews, aggregation, ranking, decisions and selection."""
