# Copy to instance/config.py (git ignores it) and adjust. Keys are the Flask
# keys from docs/configuration.md; NETWORK_* environment variables override them.

# Required: at least 32 random characters. `flask --app network gen-secret` writes one.
SECRET_KEY = "change-me-to-the-output-of-flask-gen-secret"

# Unset: SQLite file network.sqlite in this folder.
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://network@127.0.0.1:5432/network"

# The address people use; https turns on Secure cookies and HSTS.
# PUBLIC_URL = "https://community.example.com"

# Several processes: Socket.IO message queue and rate-limit store.
# REDIS_URL = "redis://127.0.0.1:6379/0"

# Mail (unset SMTP_HOST: links meant for mail go to the server log).
# SMTP_HOST = "smtp.example.com"
# SMTP_PORT = 587
# SMTP_USER = "community@example.com"
# SMTP_PASSWORD = "..."
# SMTP_FROM = "Community <community@example.com>"
# SMTP_SECURITY = "starttls"  # none, starttls or ssl

# UPLOAD_MAX_MB = 10
# TRUSTED_PROXIES = 1  # behind one nginx
