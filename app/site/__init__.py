"""The site itself: its comment policy and privacy notice, robots.txt, the sitemap, the icon."""
