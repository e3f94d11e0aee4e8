"""The outbox: every e-mail is stored, then sent over SMTP when a server is configured, else logged."""
