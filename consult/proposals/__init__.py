"""Thematic and format proposals: drafts, submission, revisions, withdrawal, import, publication."""
