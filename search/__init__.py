"""One search across pages, lessons and forum posts, respecting permissions."""
