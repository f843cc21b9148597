"""The benchmark behind `make bench`: the production setup under load, side by side with a peer.

Run it as `python -m bench` from the project folder; the README's "Benchmark" section says how
to read its table.
"""
