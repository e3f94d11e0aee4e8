"""The audit log: who changed what, when; written by services, browsed by the chair."""
