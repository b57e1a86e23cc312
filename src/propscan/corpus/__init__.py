"""The corpus: analysed articles kept in a store and explored as a whole.

``store`` owns the connection and the writes; ``listing``, ``statistics`` and ``reviewing`` read
and review over it; ``schema``, ``records``, ``filters`` and ``database`` are their shared parts;
``batch`` and ``ray_engine`` analyse many articles into a store; ``sources`` reads the inputs.
"""
