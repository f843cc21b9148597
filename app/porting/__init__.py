"""Moving comments in (WordPress WXR, Disqus, our JSON Lines) and out (WXR, JSON Lines).

Readers turn a file into a stream of plain records (records.py) without touching the
database; the importer places them on articles and writes them a batch at a time; the
exporter streams the database back out. Operators run both from the command line (cli.py):
files this big do not belong in a web request.
"""
