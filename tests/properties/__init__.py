"""Property-based tests of the public constructors and ``add_route``.

Generated cases are plain data (see :mod:`tests.properties.build`); each runs in a worker
process (:mod:`tests.properties.worker`) so that an input which kills the jsii engine fails its
own case and not the rest of the session.
"""
