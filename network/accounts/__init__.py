"""Accounts: joining, signing in, sessions that really end, tokens and the first admin."""
