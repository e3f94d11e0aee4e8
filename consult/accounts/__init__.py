"""Users, roles, registration, login and the permission helpers."""
