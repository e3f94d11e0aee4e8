"""Clustering: suggested clusters, the cluster workspace, near-duplicates and merge consent."""
