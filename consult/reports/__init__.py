"""Statistics, charts, the agenda and outcomes PDFs, and data exports. Reads every area, writes none of their tables."""
