"""Case studies: customers' stories, published only with consent to the exact revision shown."""
