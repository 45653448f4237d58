"""Posts, their comments, and the feeds that list them."""
