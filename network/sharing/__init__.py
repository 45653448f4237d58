"""Being found and shared on the open web: canonical URLs, link previews, Atom, sitemap, robots."""
