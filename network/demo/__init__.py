"""The demo community: `flask --app network seed-demo` (cast and texts, seeding, the command)."""
