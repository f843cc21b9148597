"""The reader's pages: the home page, the article page with its discussion and form (one
blueprint, `articles`, over views.py and comment_views.py), and publishing articles."""
