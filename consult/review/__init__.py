"""Review: criteria, assignment, conflicts, reviews, aggregation, decisions and clustering."""
