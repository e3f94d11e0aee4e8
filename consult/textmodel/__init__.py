"""The text model: words to stems, TF-IDF with the action lines and SDGs as shared vocabulary, label suggestions.

Pure functions of texts and reference data (no database), so that proposals, clustering and reports share one model.
"""
