"""The Forum week: days, rooms, sessions built from clusters, scheduling, publication and comments."""
